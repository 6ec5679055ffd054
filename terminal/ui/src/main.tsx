import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { LocaleProvider } from './i18n';
import { CustomerScreen } from './screens/CustomerScreen';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LocaleProvider>
      {/* The customer-facing screen (issue 19) is the same app at /customer: no login, the display lines and the e-receipt QR. */}
      {location.pathname === '/customer' ? <CustomerScreen /> : <App />}
    </LocaleProvider>
  </StrictMode>,
);
