import './admin.css';

import type { Screen } from '../screens';
import { AdminCommission } from './commission';
import { AdminHome } from './home';
import { AdminMail } from './mail';
import { AdminPayouts } from './payouts';
import { AdminRefunds } from './refunds';
import { AdminReturns } from './returns';
import { AdminSellers } from './sellers';
import { AdminUsers } from './users';

/** The admin's screens, in menu order. */
export const adminScreens: Screen[] = [
  { path: '/admin', title: 'nav.admin.home', role: 'admin', component: AdminHome, nav: true },
  {
    path: '/admin/sellers',
    title: 'nav.admin.sellers',
    role: 'admin',
    component: AdminSellers,
    nav: true,
  },
  {
    path: '/admin/payouts',
    title: 'nav.admin.payouts',
    role: 'admin',
    component: AdminPayouts,
    nav: true,
  },
  {
    path: '/admin/commission-rules',
    title: 'nav.admin.commission',
    role: 'admin',
    component: AdminCommission,
    nav: true,
  },
  {
    path: '/admin/users',
    title: 'nav.admin.users',
    role: 'admin',
    component: AdminUsers,
    nav: true,
  },
  {
    path: '/admin/returns',
    title: 'nav.admin.returns',
    role: 'admin',
    component: AdminReturns,
    nav: true,
  },
  {
    path: '/admin/refunds',
    title: 'nav.admin.refunds',
    role: 'admin',
    component: AdminRefunds,
    nav: true,
  },
  { path: '/admin/mail', title: 'nav.admin.mail', role: 'admin', component: AdminMail, nav: true },
];
