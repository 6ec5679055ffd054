/** Catalog: products (list, bulk edit, detail/form), the category tree, suppliers, prices and scheduled changes. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const catalogModule = defineModule({
  id: 'catalog', section: 'masterData',
  messages,
  menu: [
    { path: 'catalog/products', label: 'nav.products', permission: 'catalog.read', icon: icons.tag },
    { path: 'catalog/categories', label: 'nav.categories', permission: 'catalog.read', icon: icons.box },
    { path: 'catalog/suppliers', label: 'nav.suppliers', permission: 'catalog.read', icon: icons.building },
    { path: 'catalog/prices', label: 'nav.prices', permission: 'prices.read', icon: icons.clock },
  ],
  routes: [
    { path: 'catalog/products', permission: 'catalog.read', page: () => import('./ProductsPage') },
    { path: 'catalog/products/new', permission: 'catalog.write', page: () => import('./ProductPage') },
    { path: 'catalog/products/:id', permission: 'catalog.read', page: () => import('./ProductPage') },
    { path: 'catalog/categories', permission: 'catalog.read', page: () => import('./CategoriesPage') },
    { path: 'catalog/suppliers', permission: 'catalog.read', page: () => import('./SuppliersPage') },
    { path: 'catalog/prices', permission: 'prices.read', page: () => import('./PricesPage') },
  ],
});
