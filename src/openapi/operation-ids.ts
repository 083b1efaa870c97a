/**
 * The operation id of every route, reviewed in one place: `verbNoun` in camelCase, as generated
 * SDKs name their methods (`listProducts`, `addCartItem`, `blockUser`). Keyed by
 * `Controller.method`. A route may instead carry `@ApiOperation({ operationId })`.
 *
 * A route with neither gets `Controller_method` (see operationIdOf), which the spec beside this
 * file refuses by name: add the new route here.
 */
export const OPERATION_IDS: Readonly<Record<string, string>> = {
  'AuthController.register': 'registerUser',
  'AuthController.login': 'logInUser',
  'AuthController.me': 'getCurrentUser',
  'AuthController.updateProfile': 'updateProfile',
  'SessionsController.refresh': 'refreshSession',
  'SessionsController.logout': 'logOutSession',
  'SessionsController.logoutAll': 'logOutAllSessions',
  'SessionsController.list': 'listSessions',
  'SessionsController.revoke': 'revokeSession',
  'AccountController.forgot': 'requestPasswordReset',
  'AccountController.reset': 'resetPassword',
  'AccountController.verify': 'verifyEmail',
  'AccountController.requestVerification': 'requestEmailVerification',

  'HealthController.live': 'checkLiveness',
  'HealthController.ready': 'checkReadiness',

  'ProductsController.list': 'listProducts',
  'ProductsController.create': 'createProduct',
  'ProductsController.get': 'getProduct',
  'ProductsController.update': 'updateProduct',
  'ProductsController.remove': 'deleteProduct',
  'SellerStockController.list': 'listStockMovements',
  'MediaController.upload': 'uploadMedia',

  'WishlistController.list': 'getWishlist',
  'WishlistController.add': 'addWishlistItem',
  'WishlistController.get': 'getWishlistItem',
  'WishlistController.remove': 'removeWishlistItem',

  'CartController.get': 'getCart',
  'CartController.clear': 'clearCart',
  'CartController.add': 'addCartItem',
  'CartController.update': 'updateCartItem',
  'CartController.remove': 'removeCartItem',

  'OrdersController.create': 'createOrder',
  'OrdersController.list': 'listOrders',
  'OrdersController.get': 'getOrder',
  'OrdersController.cancel': 'cancelOrder',
  'OrdersController.changeStatus': 'changeOrderStatus',

  'PaymentsController.create': 'createPayment',
  'PaymentsController.listForOrder': 'listOrderPayments',
  'PaymentsController.get': 'getPayment',
  'PaymentsController.webhook': 'receivePaymentWebhook',

  'ReviewsController.create': 'createReview',
  'ReviewsController.list': 'listReviews',
  'ReviewsController.update': 'updateReview',
  'ReviewsController.remove': 'deleteReview',

  'ReturnsController.create': 'createReturn',
  'ReturnsController.list': 'listReturns',
  'ReturnsController.get': 'getReturn',
  'ReturnsController.approve': 'approveReturn',
  'ReturnsController.reject': 'rejectReturn',
  'ReturnsController.receive': 'receiveReturn',
  'ReturnsController.cancel': 'cancelReturn',
  'ReturnsController.refundPaid': 'markReturnRefundPaid',

  'CommissionRulesController.list': 'listCommissionRules',
  'CommissionRulesController.create': 'createCommissionRule',
  'CommissionRulesController.update': 'updateCommissionRule',
  'CommissionRulesController.remove': 'deleteCommissionRule',

  'SellerFinanceController.balance': 'getOwnBalance',
  'SellerFinanceController.entries': 'listOwnLedgerEntries',
  'SellerFinanceController.statement': 'getOwnStatement',
  'SellerFinanceController.ownPayouts': 'listOwnPayouts',

  'AdminFinanceController.finance': 'getFinanceSummary',
  'AdminFinanceController.balance': 'getSellerBalance',
  'AdminFinanceController.entries': 'listSellerLedgerEntries',
  'AdminFinanceController.adjust': 'createBalanceAdjustment',
  'AdminFinanceController.createBatch': 'createPayoutBatch',
  'AdminFinanceController.list': 'listPayouts',
  'AdminFinanceController.register': 'getPayoutRegister',
  'AdminFinanceController.paid': 'markPayoutPaid',
  'AdminFinanceController.failed': 'markPayoutFailed',
  'AdminRefundsController.list': 'listRefunds',
  'AdminRefundsController.markPaid': 'markRefundPaid',

  'SellerShopController.mine': 'getOwnShop',
  'SellerShopController.update': 'updateOwnShop',
  'SellerShopController.submit': 'submitOwnShop',
  'SellerShopController.holiday': 'setShopHoliday',
  'PublicShopsController.bySlug': 'getPublicShop',
  'AdminShopsController.list': 'listShops',
  'AdminShopsController.approve': 'approveShop',
  'AdminShopsController.reject': 'rejectShop',
  'AdminShopsController.suspend': 'suspendShop',
  'AdminShopsController.reinstate': 'reinstateShop',

  'SellerController.products': 'listOwnProducts',
  'SellerController.orders': 'listSellerOrders',
  'SellerController.analytics': 'getSellerAnalytics',

  'AnalyticsController.sales': 'getSalesAnalytics',
  'AnalyticsController.products': 'getProductAnalytics',
  'AnalyticsController.users': 'getUserAnalytics',
  'AnalyticsController.dashboard': 'getAnalyticsDashboard',

  'AdminController.mail': 'listMails',
  'AdminController.retryMail': 'retryMail',
  'AdminController.dashboard': 'getAdminDashboard',
  'AdminController.stats': 'getPlatformStats',
  'AdminController.users': 'listUsers',
  'AdminController.changeRole': 'changeUserRole',
  'AdminController.block': 'blockUser',
  'AdminController.unblock': 'unblockUser',
  'AdminController.orders': 'listAllOrders',
  'AdminController.products': 'listAllProducts',
};

/** The id of `Controller.method`: from the map, else a placeholder the spec refuses. */
export function operationIdOf(controllerKey: string, methodKey: string): string {
  return OPERATION_IDS[`${controllerKey}.${methodKey}`] ?? `${controllerKey}_${methodKey}`;
}

/** The verbs an operation id may start with (a new verb is a reviewed addition here). */
export const OPERATION_VERBS = [
  'list',
  'get',
  'create',
  'update',
  'delete',
  'add',
  'remove',
  'clear',
  'cancel',
  'change',
  'set',
  'submit',
  'approve',
  'reject',
  'suspend',
  'reinstate',
  'receive',
  'mark',
  'block',
  'unblock',
  'register',
  'logIn',
  'logOut',
  'refresh',
  'verify',
  'request',
  'reset',
  'check',
  'retry',
  'revoke',
  'upload',
] as const;

const VERB_NOUN = new RegExp(`^(${OPERATION_VERBS.join('|')})[A-Z][A-Za-z]*$`);

/** Why `id` is not an acceptable operation id, or null when it is. */
export function operationIdProblem(id: string | undefined): string | null {
  if (!id) return 'has no operationId';
  if (!VERB_NOUN.test(id)) {
    return `"${id}" is not verbNoun camelCase (a verb of OPERATION_VERBS, then a capitalised noun)`;
  }
  return null;
}
