import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type { FieldError } from '../../common/errors/validation-errors';
import { fieldsRefused } from '../../common/errors/validation-errors';
import { isUniqueViolation } from '../../database/db-errors';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { MailOutboxService } from '../email/mail-outbox.service';
import { UsersService } from '../users/users.service';
import { HolidayDto, UpdateShopDto } from './dto/shop.dto';
import {
  PublicShopResponse,
  ShopResponse,
  toPublicShopResponse,
  toShopResponse,
} from './dto/shop.response';
import { isValidBinIinFor, needsBin } from './kz-identifiers';
import { SellerStanding } from './seller-standing';
import type { LegalFields } from './shop.entity';
import { LEGAL_FIELDS, Shop } from './shop.entity';
import { ShopCatalog } from './shop-catalog';
import { shopSubmittedMail } from './shop-mails';
import { writeShop } from './shop-move';
import { firstFreeSlug, slugify } from './shop-slug';
import { moveFor, statusAfterEdit } from './shop-workflow';
import type { ShopPatch } from './shops.repository';
import { ShopsRepository } from './shops.repository';

/** The fields a shop must have before it can be submitted for review (API names). */
const REQUIRED = {
  name: 'name',
  legal_form: 'legalForm',
  bin_iin: 'binIin',
  iban: 'iban',
  bik: 'bik',
  kbe: 'kbe',
} as const;

/** The shop's own fields, API name → column property. */
const FIELDS = {
  name: 'name',
  slug: 'slug',
  description: 'description',
  city: 'city',
  support_phone: 'supportPhone',
  legal_form: 'legalForm',
  bin_iin: 'binIin',
  vat_payer: 'vatPayer',
  iban: 'iban',
  bik: 'bik',
  kbe: 'kbe',
} as const satisfies Record<keyof UpdateShopDto, keyof Shop>;

/** Tries of an edit whose slug, derived from the name, was taken by a racing edit meanwhile. */
const SLUG_ATTEMPTS = 8;

const slugTaken = (slug: string) =>
  fieldsRefused('SLUG_TAKEN', [
    { field: 'slug', code: 'SLUG_TAKEN', message: `The slug "${slug}" is taken by another shop` },
  ]);

/** A seller's own shop: the draft, edits, submit for review, holiday; the public shop page. */
@Injectable()
export class ShopsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly shops: ShopsRepository,
    private readonly outbox: MailOutboxService,
    private readonly users: UsersService,
    private readonly standing: SellerStanding,
    private readonly catalog: ShopCatalog,
  ) {}

  /** GET /seller/shop: the own shop, a draft made on the first call. */
  async mine(actor: Actor): Promise<ShopResponse> {
    const shop =
      (await this.shops.ofSeller(actor.id)) ??
      (await this.uow.run((tx) => this.ensure(tx, actor.id)));
    return toShopResponse(shop);
  }

  /**
   * PUT /seller/shop: any subset of the own fields. A rejected shop goes back to draft; an
   * approved one whose legal or bank fields change goes back to review (the old values kept in
   * the history, the admins mailed).
   */
  async update(actor: Actor, dto: UpdateShopDto): Promise<ShopResponse> {
    for (let attempt = 1; ; attempt++) {
      const edit = { moved: false, derivedSlug: false };
      try {
        await this.edit(actor, dto, edit);
        return this.after(actor.id, edit.moved);
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        if (dto.slug) throw slugTaken(dto.slug); // lost a race for the slug
        // another seller took the same slug from a like name a moment earlier: the next attempt
        // reads the slugs in use again and picks the next free one
        if (!edit.derivedSlug || attempt >= SLUG_ATTEMPTS) throw e;
      }
    }
  }

  private async edit(
    actor: Actor,
    dto: UpdateShopDto,
    edit: { moved: boolean; derivedSlug: boolean },
  ): Promise<void> {
    await this.uow.run(async (tx) => {
      const shop = await this.ensure(tx, actor.id);
      const patch = this.patchOf(dto);
      if (dto.slug !== undefined && (await this.shops.slugTaken(tx, dto.slug, actor.id))) {
        throw slugTaken(dto.slug);
      }
      if (!shop.slug && patch.slug === undefined && dto.name) {
        patch.slug = await this.freeSlug(tx, dto.name);
        edit.derivedSlug = true;
      }
      const next = { ...shop, ...patch } as Shop;
      const refused = bankFieldsRefused(next);
      if (refused.length) throw fieldsRefused('BAD_REQUEST', refused);
      const legalChanged = LEGAL_FIELDS.some((f) => patch[f] !== undefined && patch[f] !== shop[f]);
      const to = statusAfterEdit(shop.status, legalChanged);
      if (to === shop.status) return writeShop(this.shops, tx, shop, patch);
      edit.moved = true;
      await writeShop(
        this.shops,
        tx,
        shop,
        { ...patch, statusReason: null },
        {
          to,
          by: actor.id,
          reason: legalChanged ? 'legal or bank details changed' : 'edited after rejection',
          previousValues: legalChanged ? JSON.stringify(legalValues(shop)) : null,
        },
      );
      if (to === 'pending_review') await this.mailAdmins(tx, next, actor, true);
    });
  }

  /** POST /seller/shop/submit: draft → pending_review, once every required field is there. */
  async submit(actor: Actor): Promise<ShopResponse> {
    await this.uow.run(async (tx) => {
      const shop = await this.ensure(tx, actor.id);
      const missing: FieldError[] = Object.entries(REQUIRED)
        .filter(([, prop]) => shop[prop] === null || shop[prop] === '')
        .map(([field]) => ({
          field,
          code: 'REQUIRED',
          message: `${field} is required to submit the shop`,
        }));
      if (missing.length) throw fieldsRefused('SHOP_INCOMPLETE', missing);
      const move = moveFor(shop.status, 'submit');
      if (!move) {
        throw new DomainError('INVALID_TRANSITION', `A ${shop.status} shop cannot be submitted`, {
          from: shop.status,
        });
      }
      const patch: ShopPatch = { statusReason: null };
      if (!shop.slug) patch.slug = await this.freeSlug(tx, shop.name!);
      await writeShop(this.shops, tx, shop, patch, { to: move.to, by: actor.id, reason: null });
      await this.mailAdmins(tx, shop, actor, false);
    });
    return this.after(actor.id, true);
  }

  /** PUT /seller/shop/holiday. */
  async setHoliday(actor: Actor, dto: HolidayDto): Promise<ShopResponse> {
    await this.uow.run(async (tx) => {
      const shop = await this.ensure(tx, actor.id);
      await this.shops.setHoliday(tx, shop.id, dto.holiday);
    });
    return this.after(actor.id, true);
  }

  /** GET /sellers/{slug}: the public part of an approved shop (404 otherwise). */
  async publicBySlug(slug: string): Promise<PublicShopResponse> {
    const shop = await this.shops.bySlug(slug);
    if (!shop || shop.status !== 'approved') throw notFound('Shop');
    return toPublicShopResponse(shop, await this.catalog.activeProductCount(shop.sellerId));
  }

  /**
   * A seller review moved the shop's rating (the reviews module's SellerRatings port), inside the
   * review's transaction; a seller without a shop yet gets its draft first, so no review is lost.
   */
  async applyReviewDelta(
    tx: Tx,
    sellerId: string,
    countDelta: number,
    sumDelta: number,
  ): Promise<void> {
    await this.shops.createDraftIfMissing(tx, sellerId);
    await this.shops.applyReviewDelta(tx, sellerId, countDelta, sumDelta);
  }

  /** The seller's shop in this transaction, its draft made first when there is none. */
  private async ensure(tx: Tx, sellerId: string): Promise<Shop> {
    const found = await this.shops.ofSeller(sellerId, tx);
    if (found) return found;
    await this.shops.createDraftIfMissing(tx, sellerId);
    return (await this.shops.ofSeller(sellerId, tx))!;
  }

  private patchOf(dto: UpdateShopDto): Partial<Shop> {
    const patch: Record<string, unknown> = {};
    for (const [field, prop] of Object.entries(FIELDS)) {
      const v = dto[field as keyof UpdateShopDto];
      if (v !== undefined) patch[prop] = v;
    }
    return patch as Partial<Shop>;
  }

  private async freeSlug(tx: Tx, name: string): Promise<string> {
    const base = slugify(name);
    return firstFreeSlug(base, await this.shops.slugsLike(tx, base));
  }

  private async mailAdmins(tx: Tx, shop: Shop, seller: Actor, again: boolean): Promise<void> {
    const facts = { shopName: shop.name ?? '', slug: shop.slug, binIin: shop.binIin };
    for (const admin of await this.users.activeAdmins()) {
      await this.outbox.enqueue(
        tx,
        shopSubmittedMail(admin.email, facts, seller, again),
        'shop_submitted',
      );
    }
  }

  /** After the commit: mails go, the standing cache shows the change, the shop is read back. */
  private async after(sellerId: string, standingMayChange: boolean): Promise<ShopResponse> {
    this.outbox.kick();
    if (standingMayChange) await this.standing.reload();
    return toShopResponse((await this.shops.ofSeller(sellerId))!);
  }
}

function legalValues(s: LegalFields): Record<string, unknown> {
  return { legal_form: s.legalForm, bin_iin: s.binIin, iban: s.iban, bik: s.bik, kbe: s.kbe };
}

/** The BIN/IIN must fit the legal form as the shop will have them (either may change alone). */
function bankFieldsRefused(next: Shop): FieldError[] {
  if (!next.binIin || !next.legalForm || isValidBinIinFor(next.binIin, next.legalForm)) return [];
  const want = needsBin(next.legalForm) ? 'a BIN' : 'an IIN';
  return [
    {
      field: 'bin_iin',
      code: 'INVALID_BIN_IIN',
      message: `bin_iin must be ${want} for legal_form ${next.legalForm}`,
    },
  ];
}
