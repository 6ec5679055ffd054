/**
 * What a back-office module contributes to the admin app: its menu entries and its pages. Every module
 * exports one `UiModule` from `<module>/index.ts`, listed once in `src/modules.ts`. Pages load lazily
 * (their code is a separate chunk fetched when the route is first opened).
 */
import type { ComponentType, ReactNode } from 'react';
import type { Messages } from '@tpv/shared/i18n';

export interface UiMenuEntry<K extends string = string> {
  /** Route path, without the leading slash ('catalog/products'). */
  path: string;
  /** Message key in the module's messages. */
  label: K;
  icon?: ReactNode;
  /** Shown only to users with this permission ('catalog.read'). */
  permission: string;
  /** Franchise-wide work (HQ roles, the auditor): hidden from franchisee and store managers whatever they hold. */
  franchiseWide?: true;
  /** data-testid of the menu link (defaults to `nav-<last path segment>`). */
  testId?: string;
}

export interface UiRoute {
  /** Path, without the leading slash; may hold params ('catalog/products/:id'). */
  path: string;
  /** The permission needed to open it; without it the user sees the "not allowed" page. */
  permission: string;
  /** Only for franchise-wide users (as the server's routes that check the scope as well as the permission). */
  franchiseWide?: true;
  /** The page, loaded on first visit: `() => import('./ProductsPage')` with `export default function ...`. */
  page: () => Promise<{ default: ComponentType }>;
}

/** Menu sections, in menu order: day-to-day operation, inventory and orders, invoicing, collections and payments, accounting, master data, administration. */
export const MENU_SECTIONS = ['operations', 'inventory', 'invoicing', 'collections', 'accounting', 'masterData', 'admin'] as const;
export type MenuSection = (typeof MENU_SECTIONS)[number];

export interface UiModule<K extends string = string> {
  /** Module id as the server names it in `/api/auth/me` → modules ('catalog'). */
  id: string;
  /** Where its entries sit in the menu (default: operations). */
  section?: MenuSection;
  /** The module's messages (menu labels are looked up here). */
  messages: Messages<K>;
  menu: Array<UiMenuEntry<K>>;
  routes: UiRoute[];
}

/** Declares a module, checking its menu labels against its own messages. */
export function defineModule<K extends string>(m: UiModule<K>): UiModule<K> {
  return m;
}
