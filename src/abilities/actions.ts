/** CASL actions; `manage` is CASL's wildcard (any action). */
export const ACTIONS = ['read', 'create', 'update', 'delete', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];
