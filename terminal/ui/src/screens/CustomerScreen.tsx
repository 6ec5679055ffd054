import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { useI18n } from '../i18n';

interface DisplayEvent { line1: string; line2: string; eReceiptUrl?: string | null; eReceiptQrSvg?: string | null }

/**
 * The screen facing the customer (`/customer`, a second monitor or tablet at the till; issue 19): the customer
 * display's two lines, big, and after the sale the e-receipt QR to scan with the phone. It needs no login:
 * the `display` event goes to every screen (a pole display shows the same two lines, without the QR).
 */
export function CustomerScreen() {
  const { t } = useI18n();
  const [d, setD] = useState<DisplayEvent>({ line1: '', line2: '' });
  useEffect(() => {
    const socket = io({ transports: ['websocket', 'polling'] });
    socket.on('display', (e: DisplayEvent) => setD(e));
    return () => {
      socket.disconnect();
    };
  }, []);
  return (
    <main className="customer-screen" data-testid="customer-screen">
      <pre className="customer-lines" data-testid="customer-lines">
        {d.line1}
        {'\n'}
        {d.line2}
      </pre>
      {d.eReceiptUrl && d.eReceiptQrSvg && (
        <figure className="e-receipt big" data-testid="customer-e-receipt" data-url={d.eReceiptUrl}>
          <img alt={t('eReceipt.scan')} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(d.eReceiptQrSvg)}`} data-testid="customer-e-receipt-qr" />
          <figcaption>{t('eReceipt.scan')}</figcaption>
        </figure>
      )}
    </main>
  );
}
