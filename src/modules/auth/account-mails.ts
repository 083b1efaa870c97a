import type { Mail } from '../email/mailer';
import { linkMail } from '../email/templates';

/** The password reset link (1 hour, single use); Russian, text and html. */
export function passwordResetMail(to: string, firstName: string, url: string): Mail {
  return linkMail(
    to,
    'Восстановление пароля Bibarys',
    [
      `Здравствуйте, ${firstName}!`,
      'Кто-то (надеемся, вы) попросил сбросить пароль вашей учётной записи Bibarys.',
    ],
    { url, label: 'Задать новый пароль' },
    [
      'Ссылка действует 1 час и только один раз. После смены пароля все входы на других устройствах завершатся.',
      'Если вы не просили сброс пароля, просто проигнорируйте это письмо: пароль останется прежним.',
    ],
  );
}

/** A new email verification link (48 hours); Russian, text and html. */
export function verifyEmailMail(to: string, firstName: string, url: string): Mail {
  return linkMail(
    to,
    'Подтвердите адрес электронной почты',
    [
      `Здравствуйте, ${firstName}!`,
      'Подтвердите, пожалуйста, ваш адрес электронной почты в Bibarys:',
    ],
    { url, label: 'Подтвердить адрес' },
    ['Ссылка действует 48 часов.'],
  );
}
