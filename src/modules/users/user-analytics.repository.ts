import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ReportRange, ReportSql } from '../../database/report-window';

/** The users module's reporting reads over `users`, for the read models. */
@Injectable()
export class UserAnalyticsRepository {
  private readonly sql: ReportSql;

  constructor(@InjectDataSource() ds: DataSource) {
    this.sql = new ReportSql(ds);
  }

  /** Users per role, and how many of them are active (roles without users are absent). */
  async countsByRole(): Promise<{ role: string; total: number; active: number }[]> {
    const rows = await this.sql.rows<{ role: string; n: unknown; active: unknown }>(
      `SELECT role, COUNT(*) AS n, SUM(CASE WHEN is_active THEN 1 ELSE 0 END) AS active
         FROM users GROUP BY role`,
    );
    return rows.map((r) => ({ role: r.role, total: Number(r.n), active: Number(r.active ?? 0) }));
  }

  /** Users registered per period key of the range. */
  async registrationsByPeriod(range: ReportRange): Promise<Map<string, number>> {
    const [w, wp] = this.sql.window(range, 'u.created_at');
    const key = this.sql.periodKey(range, 'u.created_at');
    const rows = await this.sql.rows<{ k: string; n: unknown }>(
      `SELECT ${key} AS k, COUNT(*) AS n FROM users u WHERE 1 = 1${w} GROUP BY ${key}`,
      wp,
    );
    return new Map(rows.map((r) => [String(r.k), Number(r.n)]));
  }
}
