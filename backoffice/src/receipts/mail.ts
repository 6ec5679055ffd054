/**
 * The outgoing-mail port (issue 19: e-receipts by email): one `send` over nodemailer's SMTP transport,
 * configured by `TPV_SMTP_URL` (`smtp://user:pass@host:port`) and `TPV_MAIL_FROM`. Without a URL there is
 * no mailer and sending is refused with a message, never silently dropped.
 */
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
      return { messageId: String(info.messageId) };
    },
  };
}

/** The mailer of this process from its environment, or null when none is configured. */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer | null {
  const url = env.TPV_SMTP_URL?.trim();
  return url ? smtpMailer(url, env.TPV_MAIL_FROM?.trim() || 'TPV <tickets@tpv.invalid>') : null;
}
