import nodemailer, { type Transporter } from 'nodemailer';

export interface MailSettings {
  SMTP_URL?: string | undefined;
  MAIL_FROM: string;
  MAIL_TO: string[];
}

export interface Mail {
  subject: string;
  text: string;
}

/** Sends mails over the configured SMTP server: the team's notifications, and replies to listeners. */
export class Mailer {
  private transport: Transporter | undefined;

  constructor(private readonly settings: MailSettings) {}

  get enabled(): boolean {
    return Boolean(this.settings.SMTP_URL) && this.settings.MAIL_TO.length > 0;
  }

  /** Whether mails to anyone can go out (replies need no MAIL_TO). */
  get canSend(): boolean {
    return Boolean(this.settings.SMTP_URL);
  }

  /** To the team (MAIL_TO). */
  async send(mail: Mail): Promise<void> {
    await this.sendTo(this.settings.MAIL_TO, mail);
  }

  async sendTo(to: string | string[], mail: Mail): Promise<void> {
    if (!this.settings.SMTP_URL) throw new Error('SMTP_URL is not set');
    this.transport ??= nodemailer.createTransport({
      url: this.settings.SMTP_URL,
      connectionTimeout: 10_000,
      socketTimeout: 20_000,
    });
    await this.transport.sendMail({
      from: this.settings.MAIL_FROM,
      to,
      subject: mail.subject,
      text: mail.text,
    });
  }

  close(): void {
    this.transport?.close();
  }
}
