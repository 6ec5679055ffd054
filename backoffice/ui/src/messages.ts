import type { Messages } from '@tpv/shared/i18n';

const es = {
  'app.title': 'TPV · Central de franquicia',
  'nav.network': 'Red de tiendas',
  'health.ok': 'Servidor en marcha',
  'health.degraded': 'Servidor con problemas',
  'health.unreachable': 'No se puede contactar con el servidor',
  'health.db': 'Base de datos: {engine} · {location}',
  'health.version': 'Versión {version}',
  'org.title': 'Empresas, tiendas y terminales',
  'org.franchisor': 'Franquiciador',
  'org.franchisee': 'Franquiciado',
  'org.nif': 'NIF',
  'org.store': 'Tienda',
  'org.terminals': 'Terminales',
  'org.lastSeen': 'Última conexión',
  'org.never': 'nunca',
  'org.empty': 'Sin datos todavía.',
  'lang.switch': 'English',
} as const;

export type MessageKey = keyof typeof es;

export const messages: Messages<MessageKey> = {
  es,
  en: {
    'app.title': 'TPV · Franchise back office',
    'nav.network': 'Store network',
    'health.ok': 'Server running',
    'health.degraded': 'Server degraded',
    'health.unreachable': 'Cannot reach the server',
    'health.db': 'Database: {engine} · {location}',
    'health.version': 'Version {version}',
    'org.title': 'Companies, stores and terminals',
    'org.franchisor': 'Franchisor',
    'org.franchisee': 'Franchisee',
    'org.nif': 'Tax ID',
    'org.store': 'Store',
    'org.terminals': 'Terminals',
    'org.lastSeen': 'Last seen',
    'org.never': 'never',
    'org.empty': 'No data yet.',
    'lang.switch': 'Español',
  },
};
