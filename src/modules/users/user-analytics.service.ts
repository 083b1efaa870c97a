import { Injectable } from '@nestjs/common';

import type { UserRole } from '../../common/auth/actor';
import { USER_ROLES } from '../../common/auth/actor';
import type { ReportRange } from '../../database/report-window';
import { UserAnalyticsRepository } from './user-analytics.repository';

export interface UserCounts {
  /** every role present */
  byRole: Record<UserRole, number>;
  total: number;
  active: number;
}

/** What the users module tells the read models (analytics, admin) about accounts. */
@Injectable()
export class UserAnalytics {
  constructor(private readonly repo: UserAnalyticsRepository) {}

  /** Users per role, in all and active. */
  async counts(): Promise<UserCounts> {
    const rows = await this.repo.countsByRole();
    const byRole = Object.fromEntries(USER_ROLES.map((r) => [r, 0])) as Record<UserRole, number>;
    for (const r of rows) if (r.role in byRole) byRole[r.role as UserRole] = r.total;
    return {
      byRole,
      total: rows.reduce((s, r) => s + r.total, 0),
      active: rows.reduce((s, r) => s + r.active, 0),
    };
  }

  /** Registrations per period key (`YYYY-MM-DD` of the bucket's start) of the range. */
  registrations(range: ReportRange): Promise<Map<string, number>> {
    return this.repo.registrationsByPeriod(range);
  }
}
