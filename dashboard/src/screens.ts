import type { ComponentType } from 'preact';

import type { Schemas } from './api';
import type { MessageKey } from './i18n';

export type Role = 'seller' | 'admin';

export interface ScreenProps {
  /** `:name` parts of the path */
  params: Record<string, string>;
  query: URLSearchParams;
  me: Schemas['UserResponse'];
}

/** One screen of the dashboard: its route, its title (menu and heading), who may open it. */
export interface Screen {
  path: string;
  title: MessageKey;
  role: Role;
  component: ComponentType<ScreenProps>;
  /** listed in the menu (detail screens are not) */
  nav?: boolean;
}
