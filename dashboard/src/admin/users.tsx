// Users: search by email or name, filter by role and access, block or unblock (asked once),
// change a role. An admin's own row has no actions (the server refuses them, 409).
import { useState } from 'preact/hooks';

import { api, type Schemas, unwrap } from '../api';
import { t, when } from '../i18n';
import type { ScreenProps } from '../screens';
import {
  Badge,
  type Column,
  ConfirmButton,
  ErrorBox,
  Notice,
  Page,
  SelectField,
  Table,
  TextField,
  useAction,
  usePaged,
} from '../ui';
import { got, PagedView, setQuery, statusOptions } from './parts';

type User = Schemas['UserResponse'];
type Role = User['role'];
const ROLES = ['customer', 'seller', 'admin'] as const;
const PATH = '/admin/users';

export function AdminUsers({ query, me }: ScreenProps) {
  const search = query.get('search') ?? '';
  const role = (query.get('role') ?? '') as Role | '';
  const active = query.get('active') ?? '';
  const [typed, setTyped] = useState(search);
  const [notice, setNotice] = useState('');
  const list = usePaged(
    (page) =>
      got(
        api.GET('/api/v1/admin/users', {
          params: {
            query: {
              page,
              page_size: 20,
              search: search || undefined,
              role: role || undefined,
              is_active: active === '' ? undefined : active === 'true',
            },
          },
        }),
      ),
    [search, role, active],
  );
  const done = (message: string) => {
    setNotice(message);
    list.reload();
  };
  const columns: Column<User>[] = [
    {
      label: t('admin.users.email'),
      cell: (u) => (
        <>
          <strong>{u.email}</strong>
          {u.id === me.id && <div class="muted">{t('admin.users.you')}</div>}
        </>
      ),
    },
    { label: t('admin.users.name'), cell: (u) => `${u.first_name} ${u.last_name}` },
    {
      label: t('admin.users.role'),
      cell: (u) =>
        u.id === me.id ? t(`admin.role.${u.role}`) : <RoleChange user={u} onDone={done} />,
    },
    {
      label: t('admin.users.active'),
      cell: (u) =>
        u.is_active ? (
          <Badge tone="ok">{t('admin.users.isActive')}</Badge>
        ) : (
          <Badge tone="bad">{t('admin.users.isBlocked')}</Badge>
        ),
    },
    { label: t('admin.users.registered'), cell: (u) => when(u.created_at) },
    {
      label: t('common.actions'),
      cell: (u) => (u.id === me.id ? null : <BlockAction user={u} onDone={done} />),
    },
  ];
  return (
    <Page title={t('nav.admin.users')}>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(PATH, query, { search: typed.trim() });
        }}
      >
        <TextField type="search" label={t('admin.users.search')} value={typed} onInput={setTyped} />
        <SelectField
          label={t('admin.users.role')}
          value={role}
          options={statusOptions('admin.role.', ROLES)}
          onChange={(v) => setQuery(PATH, query, { role: v })}
        />
        <SelectField
          label={t('admin.users.active')}
          value={active}
          options={[
            { value: '', label: t('common.all') },
            { value: 'true', label: t('admin.users.isActive') },
            { value: 'false', label: t('admin.users.isBlocked') },
          ]}
          onChange={(v) => setQuery(PATH, query, { active: v })}
        />
        <button type="submit">{t('common.search')}</button>
      </form>
      {notice && <Notice>{notice}</Notice>}
      <PagedView list={list}>
        {(rows) => (
          <Table
            caption={t('admin.users.caption')}
            columns={columns}
            rows={rows}
            rowKey={(u) => u.id}
          />
        )}
      </PagedView>
    </Page>
  );
}

function BlockAction(props: { user: User; onDone: (message: string) => void }) {
  const { user } = props;
  const path = { id: user.id };
  const act = useAction(() =>
    unwrap(
      user.is_active
        ? api.PUT('/api/v1/admin/users/{id}/block', { params: { path } })
        : api.PUT('/api/v1/admin/users/{id}/unblock', { params: { path } }),
    ),
  );
  return (
    <>
      <ConfirmButton
        label={user.is_active ? t('admin.users.block') : t('admin.users.unblock')}
        danger={user.is_active}
        busy={act.busy}
        onConfirm={async () => {
          if (await act.run())
            props.onDone(
              t(user.is_active ? 'admin.users.blocked' : 'admin.users.unblocked', {
                email: user.email,
              }),
            );
        }}
      />
      <ErrorBox error={act.error} />
    </>
  );
}

function RoleChange(props: { user: User; onDone: (message: string) => void }) {
  const { user } = props;
  const [role, setRole] = useState<Role>(user.role);
  const change = useAction(() =>
    unwrap(
      api.PUT('/api/v1/admin/users/{id}/role', {
        params: { path: { id: user.id } },
        body: { role },
      }),
    ),
  );
  return (
    <div class="role-change">
      <SelectField
        label={t('admin.users.roleOf', { email: user.email })}
        value={role}
        options={statusOptions('admin.role.', ROLES, false)}
        onChange={(v) => setRole(v as Role)}
        error={change.fields.role}
      />
      {role !== user.role && (
        <ConfirmButton
          label={t('admin.users.changeRole')}
          busy={change.busy}
          onConfirm={async () => {
            if (await change.run())
              props.onDone(
                t('admin.users.roleChanged', { email: user.email, role: t(`admin.role.${role}`) }),
              );
          }}
        />
      )}
      {!change.fields.role && <ErrorBox error={change.error} />}
    </div>
  );
}
