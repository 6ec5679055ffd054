import { useState } from 'react';
import type { Receipt } from '../api';
import { useI18n } from '../i18n';

/** The receipt as the API renders it: the SVG picture of the paper, or its plain text. */
export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const { t } = useI18n();
  const [asText, setAsText] = useState(!receipt.svg);
  return (
    <div className="receipt" data-testid="receipt">
      {receipt.svg && receipt.text && (
        <button className="small" onClick={() => setAsText(!asText)}>
          {asText ? t('receipt.showImage') : t('receipt.showText')}
        </button>
      )}
      {asText || !receipt.svg ? (
        <pre className="receipt-text" data-testid="receipt-text">{receipt.text}</pre>
      ) : (
        <img className="receipt-svg" alt={receipt.text} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(receipt.svg)}`} data-testid="receipt-svg" />
      )}
    </div>
  );
}
