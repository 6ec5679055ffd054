/** Catalog import (HQ): products from a CSV/XLSX file, checked row by row, applied all or nothing. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const catalogImportModule = defineModule({
  id: 'catalog-import', section: 'masterData',
  messages,
  menu: [{ path: 'catalog/import', label: 'nav.import', permission: 'catalog.write', icon: icons.file }],
  routes: [{ path: 'catalog/import', permission: 'catalog.write', page: () => import('./ImportPage') }],
});
