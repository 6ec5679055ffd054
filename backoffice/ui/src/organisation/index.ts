/** Organisation: companies (with contacts and franchise contracts), stores (hours, tills), central warehouses. */
import { icons } from '../app/icons';
import { defineModule } from '../app/module';
import { messages } from './messages';

export const organisationModule = defineModule({
  id: 'organisation', section: 'masterData',
  messages,
  menu: [
    { path: 'organisation/companies', label: 'nav.companies', permission: 'organisation.read', icon: icons.building },
    { path: 'organisation/stores', label: 'nav.stores', permission: 'organisation.read', icon: icons.store },
    { path: 'organisation/warehouses', label: 'nav.warehouses', permission: 'organisation.read', icon: icons.box },
  ],
  routes: [
    { path: 'organisation/companies', permission: 'organisation.read', page: () => import('./CompaniesPage') },
    { path: 'organisation/companies/new', permission: 'organisation.write', page: () => import('./CompanyForm') },
    { path: 'organisation/companies/:id', permission: 'organisation.read', page: () => import('./CompanyPage') },
    { path: 'organisation/companies/:id/edit', permission: 'organisation.write', page: () => import('./CompanyForm') },
    { path: 'organisation/stores', permission: 'organisation.read', page: () => import('./StoresPage') },
    { path: 'organisation/stores/new', permission: 'organisation.write', page: () => import('./StoreForm') },
    { path: 'organisation/stores/:id', permission: 'organisation.read', page: () => import('./StorePage') },
    { path: 'organisation/stores/:id/edit', permission: 'organisation.write', page: () => import('./StoreForm') },
    { path: 'organisation/warehouses', permission: 'organisation.read', page: () => import('./WarehousesPage') },
    { path: 'organisation/warehouses/new', permission: 'organisation.write', page: () => import('./WarehouseForm') },
    { path: 'organisation/warehouses/:id', permission: 'organisation.write', page: () => import('./WarehouseForm') },
  ],
});
