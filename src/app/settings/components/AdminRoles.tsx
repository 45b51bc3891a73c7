// Who may change these settings: super admins always, and users of the roles a super admin switches on here.
import { useState } from 'react';
import { Alert, Flex, Heading, LoadingButton, Text, Tile, Toggle } from '@hubspot/ui-extensions';
import { errorText } from '../api/loadable.ts';
import { useAction } from '../hooks/useAction.ts';
import { useAdminRoles } from '../hooks/useAdminRoles.ts';
import { useSettings } from '../hooks/settings-context.ts';
import type { AdminRoles as AdminRolesValue } from '../types.ts';

export function AdminRoles() {
  const { t, client } = useSettings();
  const { state, replace } = useAdminRoles(client);
  return (
    <Tile testId="admin-roles">
      <Flex direction="column" gap="sm">
        <Heading>{t.adminRolesTitle}</Heading>
        <Text>{t.adminRolesIntro}</Text>
        {/* The templates above show the page's one spinner meanwhile. */}
        {state.status === 'loading' ? <Text variant="microcopy" testId="admin-roles-loading">{t.adminRolesLoading}</Text> : null}
        {state.status === 'error' ? <Alert title={errorText(t, state.error)} variant="warning" testId="admin-roles-error" /> : null}
        {state.status === 'ready' ? <RoleChoice value={state.value} onSaved={replace} /> : null}
      </Flex>
    </Tile>
  );
}

function RoleChoice({ value, onSaved }: { value: AdminRolesValue; onSaved(value: AdminRolesValue): void }) {
  const { t, client, notify } = useSettings();
  const [allowed, setAllowed] = useState(() => new Set(value.roles.filter((role) => role.allowed).map((role) => role.id)));
  const save = useAction();
  if (value.roles.length === 0) return <Text testId="admin-roles-none">{t.adminRolesNone}</Text>;
  const toggle = (id: string, on: boolean) =>
    setAllowed((before) => {
      const next = new Set(before);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <Flex direction="column" gap="sm">
      {value.roles.map((role) => (
        <Toggle key={role.id} label={role.name} labelDisplay="inline" checked={allowed.has(role.id)} readOnly={!value.canEdit}
          onChange={(on) => toggle(role.id, on)} testId={`admin-role-${role.id}`} />
      ))}
      {save.error ? <Alert title={errorText(t, save.error)} variant="danger" testId="admin-roles-save-error" /> : null}
      {value.canEdit ? (
        <LoadingButton loading={save.pending} testId="admin-roles-save"
          onClick={() => void save.run(async () => {
            onSaved(await client.request<AdminRolesValue>('PUT', '/api/portal/admin-roles', { roleIds: [...allowed] }));
            notify(t.saved);
          })}>
          {t.adminRolesSave}
        </LoadingButton>
      ) : (
        <Text testId="admin-roles-super-admin-only">{t.adminRolesSuperAdminOnly}</Text>
      )}
    </Flex>
  );
}
