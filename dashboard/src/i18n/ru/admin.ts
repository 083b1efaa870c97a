// Strings of the admin's screens (Russian); keys start with `admin.`.
export const admin = {
  'nav.admin.home': 'Платформа',
} as const;
