// Strings of the seller's screens (Russian); keys start with `seller.`.
export const seller = {
  'nav.seller.home': 'Обзор',
} as const;
