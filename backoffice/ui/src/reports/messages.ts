/** Messages of the reports module (Spanish, English). */
import { defineMessages } from '../app/i18n';

export const messages = defineMessages(
  {
    'nav.sales': 'Ventas',
    'sales.title': 'Ventas por tienda y día',
    'sales.date': 'Día',
    'sales.tickets': 'Tickets',
    'sales.returns': 'Devoluciones',
    'sales.total': 'Total',
    'sales.tax': 'Impuestos',
    'sales.empty': 'No hay ventas en el periodo.',
    'sales.store': 'Tienda',
    'sales.from': 'Desde',
    'sales.to': 'Hasta',
  },
  {
    'nav.sales': 'Sales',
    'sales.title': 'Sales per store and day',
    'sales.date': 'Day',
    'sales.tickets': 'Tickets',
    'sales.returns': 'Returns',
    'sales.total': 'Total',
    'sales.tax': 'Tax',
    'sales.empty': 'No sales in the period.',
    'sales.store': 'Store',
    'sales.from': 'From',
    'sales.to': 'To',
  },
);
