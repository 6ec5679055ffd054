import type { Messages } from '@tpv/shared/i18n';

const es = {
  'app.title': 'TPV · Caja',
  'status.title': 'Estado del terminal',
  'status.service': 'Servicio',
  'status.version': 'Versión',
  'status.database': 'Base de datos',
  'status.ok': 'En marcha',
  'status.degraded': 'Con problemas',
  'status.unreachable': 'Servicio local inaccesible',
  'status.loading': 'Cargando…',
  'lang.switch': 'English',
} as const;

export type MessageKey = keyof typeof es;

export const messages: Messages<MessageKey> = {
  es,
  en: {
    'app.title': 'TPV · Till',
    'status.title': 'Terminal status',
    'status.service': 'Service',
    'status.version': 'Version',
    'status.database': 'Database',
    'status.ok': 'Running',
    'status.degraded': 'Degraded',
    'status.unreachable': 'Local service unreachable',
    'status.loading': 'Loading…',
    'lang.switch': 'Español',
  },
};
