/**
 * A gemeente's beëindiging policy: `voorstel` (the engine proposes, the gemeente confirms), `automatisch`
 * (the engine sends the WMO301 itself) or `alleen-signaal` (only the notification).
 */
export const POLICIES = ['voorstel', 'automatisch', 'alleen-signaal'] as const;
export type Policy = (typeof POLICIES)[number];
