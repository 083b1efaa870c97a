import type { Screen } from '../screens';
import { AdminHome } from './home';

/** The admin's screens, in menu order. */
export const adminScreens: Screen[] = [
  { path: '/admin', title: 'nav.admin.home', role: 'admin', component: AdminHome, nav: true },
];
