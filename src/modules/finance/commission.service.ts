import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { DomainError, notFound } from '../../common/errors/domain-error';
import { toTiyn } from '../../common/money/money';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { EntityVersion } from '../../database/entity-version';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { CommissionPolicy } from '../orders/commission-policy';
import { CommissionRepository, RulePatch } from './commission.repository';
import { CreateCommissionRuleDto, UpdateCommissionRuleDto } from './dto/commission.dto';
import { CommissionRule } from './finance.entities';
import { FinanceClock } from './finance-clock';
import { commissionFor, percentToBp, resolveRule } from './money-rules';

/** One order line to price: its seller, its product's category, its subtotal in tiyn. */
export interface CommissionLine {
  sellerId: string;
  category: string;
  subtotal: number;
}

export type { FrozenCommission } from '../orders/commission-policy';
import type { FrozenCommission } from '../orders/commission-policy';

/** A 400 that names the field, in the shape of the validation errors. */
const fieldError = (field: string, code: string, message: string) =>
  new DomainError('BAD_REQUEST', message, { errors: [{ field, code, message }] });

const fee = (kzt: number | null | undefined): number | null | undefined =>
  kzt === undefined ? undefined : kzt === null ? null : toTiyn(kzt);

@Injectable()
export class CommissionService implements OnApplicationBootstrap, CommissionPolicy {
  private readonly logger = new Logger('Commission');
  /** Every rule as last read, and the table's version then (see `currentRules`). */
  private cached: { rules: CommissionRule[]; snapshot: string } | null = null;
  private readonly version: EntityVersion<CommissionRule>;

  constructor(
    private readonly rules: CommissionRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: FinanceClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.version = rules.watchTable();
  }

  /**
   * The global rule follows COMMISSION_RATE_PERCENT until an admin edits it: the migration creates
   * it at 10 % with `updated_at` null, and each boot sets the env rate while it is still null.
   */
  async onApplicationBootstrap(): Promise<void> {
    const bp = this.config.finance.commissionRateBp;
    if (await this.uow.run((tx) => this.rules.followEnvDefault(tx, bp))) {
      this.logger.log(`global commission rate set to ${bp / 100} % (COMMISSION_RATE_PERCENT)`);
    }
  }

  /**
   * Prices the lines of a checkout inside its transaction: each line gets the most specific
   * rule's rate and the commission it yields, in the order given. The rules come from memory
   * while the table is unchanged, else from one read in `tx` (see `currentRules`).
   */
  async freeze(tx: Tx, lines: CommissionLine[]): Promise<FrozenCommission[]> {
    if (!lines.length) return [];
    const rules = await this.currentRules(tx);
    return lines.map((l) => {
      const rule = resolveRule(rules, l);
      return { commissionRate: rule.rateBp, commission: commissionFor(l.subtotal, rule) };
    });
  }

  /**
   * Every rule, exact in this process: the cache is served only while the table's version
   * (EntityVersion: moved by every write through TypeORM and again when the writing transaction
   * ends; on SQLite also by other connections' commits) is the one it was read at, and never while
   * a write to the table is uncommitted; a read is kept only if no write came while it was made.
   * So checkout adds no statement while the rules stand still, and one after each change.
   * On PostgreSQL a rule changed by ANOTHER server process is not seen until this one writes the
   * table (the brief's "invalidated on rule change in this process"); no age limit, so that the
   * checkout's statement count does not depend on the clock.
   */
  private async currentRules(tx: Tx): Promise<CommissionRule[]> {
    const snapshot = this.version.snapshot();
    const c = this.cached;
    if (c && snapshot !== null && c.snapshot === snapshot) return c.rules;
    const rules = await this.rules.all(tx);
    if (snapshot !== null && this.version.snapshot() === snapshot) {
      this.cached = { rules, snapshot };
    }
    return rules;
  }

  list(): Promise<CommissionRule[]> {
    return this.rules.all();
  }

  async create(dto: CreateCommissionRuleDto): Promise<CommissionRule> {
    const target: readonly string[] = {
      global: [],
      category: ['category'],
      seller: ['seller_id'],
    }[dto.scope];
    for (const field of ['category', 'seller_id'] as const) {
      const given = dto[field] !== undefined;
      if (given !== target.includes(field)) {
        throw fieldError(
          field,
          given ? 'not_allowed' : 'required',
          given
            ? `${field} is not allowed with scope ${dto.scope}`
            : `${field} is required with scope ${dto.scope}`,
        );
      }
    }
    const rule: CommissionRule = {
      id: randomUUID(),
      scope: dto.scope,
      category: dto.category ?? null,
      sellerId: dto.seller_id ?? null,
      rateBp: this.rate(dto.rate_percent),
      minFee: fee(dto.min_fee) ?? null,
      maxFee: fee(dto.max_fee) ?? null,
      createdAt: this.clock.now(),
      updatedAt: null,
    };
    this.checkFees(rule.minFee, rule.maxFee);
    await this.uow.run(async (tx) => {
      if (await this.rules.insert(tx, rule)) return;
      throw new DomainError(
        'COMMISSION_RULE_EXISTS',
        dto.scope === 'global'
          ? 'The global rule exists already: change it instead'
          : `A rule for this ${dto.scope} exists already`,
      );
    });
    return rule;
  }

  update(id: string, dto: UpdateCommissionRuleDto): Promise<CommissionRule> {
    return this.uow.run(async (tx) => {
      const rule = await this.rules.byId(id, tx);
      if (!rule) throw notFound('Commission rule');
      const patch: RulePatch = {};
      if (dto.rate_percent !== undefined) patch.rateBp = this.rate(dto.rate_percent);
      if (dto.min_fee !== undefined) patch.minFee = fee(dto.min_fee);
      if (dto.max_fee !== undefined) patch.maxFee = fee(dto.max_fee);
      const next = { ...rule, ...patch };
      this.checkFees(next.minFee, next.maxFee);
      const at = this.clock.now();
      await this.rules.update(tx, id, patch, at);
      return { ...next, updatedAt: at };
    });
  }

  remove(id: string): Promise<void> {
    return this.uow.run(async (tx) => {
      const rule = await this.rules.byId(id, tx);
      if (!rule) throw notFound('Commission rule');
      if (rule.scope === 'global') {
        throw new DomainError('GLOBAL_RULE_REQUIRED', 'The global rule cannot be deleted');
      }
      await this.rules.remove(tx, id);
    });
  }

  private rate(percent: number): number {
    const bp = percentToBp(percent);
    if (bp === null) {
      throw fieldError(
        'rate_percent',
        'range',
        'rate_percent must be 0–100 with at most 2 decimals',
      );
    }
    return bp;
  }

  private checkFees(min: number | null, max: number | null): void {
    if (min !== null && max !== null && min > max) {
      throw fieldError('min_fee', 'above_max_fee', 'min_fee must not be above max_fee');
    }
  }
}
