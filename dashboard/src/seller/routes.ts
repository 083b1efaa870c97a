import './seller.css';

import type { Screen } from '../screens';
import { SellerHome } from './home';
import { SellerMoney } from './money';
import { SellerOrders } from './orders';
import { SellerProductEdit, SellerProductNew } from './product-form';
import { SellerProducts } from './products';
import { SellerReturns } from './returns';
import { SellerSales } from './sales';
import { SellerShop } from './shop';

/** The seller's screens, in menu order (a fixed path before a `:param` one it would match). */
export const sellerScreens: Screen[] = [
  { path: '/seller', title: 'nav.seller.home', role: 'seller', component: SellerHome, nav: true },
  {
    path: '/seller/shop',
    title: 'nav.seller.shop',
    role: 'seller',
    component: SellerShop,
    nav: true,
  },
  {
    path: '/seller/products',
    title: 'nav.seller.products',
    role: 'seller',
    component: SellerProducts,
    nav: true,
  },
  {
    path: '/seller/products/new',
    title: 'nav.seller.productNew',
    role: 'seller',
    component: SellerProductNew,
  },
  {
    path: '/seller/products/:id',
    title: 'nav.seller.product',
    role: 'seller',
    component: SellerProductEdit,
  },
  {
    path: '/seller/orders',
    title: 'nav.seller.orders',
    role: 'seller',
    component: SellerOrders,
    nav: true,
  },
  {
    path: '/seller/returns',
    title: 'nav.seller.returns',
    role: 'seller',
    component: SellerReturns,
    nav: true,
  },
  {
    path: '/seller/money',
    title: 'nav.seller.money',
    role: 'seller',
    component: SellerMoney,
    nav: true,
  },
  {
    path: '/seller/sales',
    title: 'nav.seller.sales',
    role: 'seller',
    component: SellerSales,
    nav: true,
  },
];
