import type { Screen } from '../screens';
import { SellerHome } from './home';

/** The seller's screens, in menu order. */
export const sellerScreens: Screen[] = [
  { path: '/seller', title: 'nav.seller.home', role: 'seller', component: SellerHome, nav: true },
];
