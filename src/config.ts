import { z } from 'zod';

/**
 * Every setting, read from the environment once, validated, frozen. Nothing else reads process.env.
 * A channel whose secrets are missing is disabled (null slice) and says so at start-up.
 */

const DEFAULTS = {
  messengerApiBase: 'https://graph.facebook.com/v25.0',
  zaloApiBase: 'https://openapi.zalo.me',
  zaloOauthBase: 'https://oauth.zaloapp.com',
  zaloZnsApiBase: 'https://business.openapi.zalo.me',
};

export interface MessengerConfig {
  appSecret: string;
  verifyToken: string;
  pageAccessToken: string;
  /** Graph API base with its version, e.g. https://graph.facebook.com/v25.0 */
  apiBase: string;
}

export interface ZaloConfig {
  appId: string;
  /** the App Secret: OAuth token refresh (`secret_key` header) */
  appSecret: string;
  /** the OA Secret Key from the Webhook page: webhook signatures */
  oaSecretKey: string;
  /** seed pair used when the token store holds none yet */
  accessToken?: string;
  refreshToken?: string;
  apiBase: string;
  oauthBase: string;
  /** the ZNS host, e.g. https://business.openapi.zalo.me (path `/message/template`) */
  znsApiBase: string;
}

/**
 * How notices reach a person outside the platforms' free windows (platforms/*.md); every field off
 * by default. Settings for a disabled channel are dropped here and listed in Config.ignored.
 */
export interface NoticeTemplateConfig {
  /** approved Messenger Utility template names (category UTILITY, language vi) */
  messengerCaseTemplate?: string;
  messengerReminderTemplate?: string;
  /** send Zalo consultation messages billed between 48 h and 7 days */
  zaloBilledWindow: boolean;
  /** approved Zalo ZNS template ids (sent to the person's phone) */
  znsCaseTemplate?: string;
  znsReminderTemplate?: string;
}

/** Hand-offs to an official ("gặp cán bộ"). */
export interface HandoffConfig {
  /** minutes without a message either way before an active hand-off ends by itself; default 30 */
  quietMinutes: number;
  /** office-hours minutes for an official to take a hand-off before a case is opened instead; default 15 */
  takeWithinMinutes: number;
  /** the Page has Messenger's Human Agent feature: officials' words may go out with the HUMAN_AGENT tag up to 7 days; default false */
  messengerHumanAgent: boolean;
  /** the commune pays for Zalo consultation messages between 48 h and 7 days; default false */
  zaloBilledWindow: boolean;
}

export interface Config {
  role: 'web' | 'worker' | 'all';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  port: number;
  redisUrl: string;
  /** unset: the in-memory store */
  mongodbUri?: string;
  /** how long the start keeps trying to reach MongoDB before giving up (MONGODB_START_WAIT_SECONDS); default 60 s */
  storeStartWaitMs: number;
  /** started by an npm script: when npm is gone (a closed terminal ends it), the app stops too */
  launchedByNpm: boolean;
  adminToken?: string;
  /** when set, GET /metrics wants `Authorization: Bearer <it>` (METRICS_TOKEN) */
  metricsToken?: string;
  /** express's `trust proxy`: false (default: the client's own address), a hop count, or the proxies' addresses/subnets (TRUST_PROXY) */
  trustProxy: false | number | string[];
  flowsDir: string;
  /** NODE_ENV=production: placeholders in the commune data stop the start (src/civic/commune-data/placeholders.ts) */
  production?: boolean;
  /** prefix of every Redis key and queue this process uses */
  queuePrefix: string;
  /** whether `npm start` may start a local redis-server when none answers */
  autoStartRedis: boolean;
  messenger: MessengerConfig | null;
  zalo: ZaloConfig | null;
  handoff: HandoffConfig;
  /** which channels are disabled and why, for the start-up log */
  disabled: { channel: 'messenger' | 'zalo'; missing: string[] }[];
  notices: NoticeTemplateConfig;
  /** settings given for a disabled channel: a start-up warning, not a crash */
  ignored: { setting: string; channel: 'messenger' | 'zalo' }[];
}

const url = (name: string) =>
  z
    .string()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: `${name} must be an http(s) URL` })
    .transform((v) => v.replace(/\/+$/, ''));

const messengerTemplateName = (name: string) =>
  z.string().refine((v) => /^[a-z0-9_]{1,512}$/.test(v), { message: `${name} must be a template name: lowercase letters, digits and _` });
const znsTemplateId = (name: string) => z.string().refine((v) => /^\d{1,20}$/.test(v), { message: `${name} must be a ZNS template id (digits)` });

const schema = z.object({
  NODE_ENV: z.string().optional(),
  ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((v) => /^rediss?:\/\//.test(v), { message: 'REDIS_URL must start with redis:// or rediss://' }),
  MONGODB_URI: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^mongodb(\+srv)?:\/\//.test(v), {
      message: 'MONGODB_URI must start with mongodb:// or mongodb+srv://',
    }),
  ADMIN_TOKEN: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || v.length >= 16, { message: 'ADMIN_TOKEN must be at least 16 characters' }),
  METRICS_TOKEN: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.length >= 16, { message: 'METRICS_TOKEN must be at least 16 characters' }),
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine((v) => parseTrustProxy(v) !== undefined, {
      message: 'TRUST_PROXY must be false, a hop count (1 = one proxy in front) or a comma-separated list of proxy addresses or subnets (10.0.0.0/8, loopback, uniquelocal)',
    }),
  FLOWS_DIR: z.string().default('flows'),
  QUEUE_PREFIX: z
    .string()
    .default('commune')
    .refine((v) => /^[A-Za-z0-9_.-]+$/.test(v), { message: 'QUEUE_PREFIX may hold letters, digits, _ . - only' }),
  REDIS_AUTOSTART: z.enum(['true', 'false', '1', '0']).default('true'),
  MONGODB_START_WAIT_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  // Set by npm for the script it runs (not a setting): `npm start` means npm is the app's parent.
  npm_lifecycle_event: z.string().optional(),
  MESSENGER_APP_SECRET: z.string().optional(),
  MESSENGER_VERIFY_TOKEN: z.string().optional(),
  MESSENGER_PAGE_ACCESS_TOKEN: z.string().optional(),
  MESSENGER_API_BASE: url('MESSENGER_API_BASE').default(DEFAULTS.messengerApiBase),
  ZALO_APP_ID: z.string().optional(),
  ZALO_APP_SECRET: z.string().optional(),
  ZALO_OA_SECRET_KEY: z.string().optional(),
  ZALO_ACCESS_TOKEN: z.string().optional(),
  ZALO_REFRESH_TOKEN: z.string().optional(),
  ZALO_API_BASE: url('ZALO_API_BASE').default(DEFAULTS.zaloApiBase),
  ZALO_OAUTH_BASE: url('ZALO_OAUTH_BASE').default(DEFAULTS.zaloOauthBase),
  HANDOFF_QUIET_MINUTES: z.coerce.number().positive().max(7 * 24 * 60).default(30),
  HANDOFF_TAKE_WITHIN_MINUTES: z.coerce.number().positive().max(7 * 24 * 60).default(15),
  MESSENGER_HUMAN_AGENT: z.enum(['true', 'false', '1', '0'], { message: 'MESSENGER_HUMAN_AGENT must be true or false' }).default('false'),
  ZALO_ZNS_API_BASE: url('ZALO_ZNS_API_BASE').default(DEFAULTS.zaloZnsApiBase),
  MESSENGER_UTILITY_TEMPLATE_CASE: messengerTemplateName('MESSENGER_UTILITY_TEMPLATE_CASE').optional(),
  MESSENGER_UTILITY_TEMPLATE_REMINDER: messengerTemplateName('MESSENGER_UTILITY_TEMPLATE_REMINDER').optional(),
  ZALO_BILLED_WINDOW: z.enum(['true', 'false', '1', '0'], { message: 'ZALO_BILLED_WINDOW must be true or false' }).default('false'),
  ZALO_ZNS_TEMPLATE_CASE: znsTemplateId('ZALO_ZNS_TEMPLATE_CASE').optional(),
  ZALO_ZNS_TEMPLATE_REMINDER: znsTemplateId('ZALO_ZNS_TEMPLATE_REMINDER').optional(),
});

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9a-f:]*:[0-9a-f:.]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/i;
const NAMED_SUBNETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as express takes it, or undefined when it is not valid. Never `true`: trusting every hop
 * lets a client write its own address in X-Forwarded-For (and so escape the login lockout).
 */
export function parseTrustProxy(v: string): false | number | string[] | undefined {
  const s = v.trim().toLowerCase();
  if (s === 'false' || s === '0' || s === '') return false;
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const parts = s.split(',').map((p) => p.trim());
  return parts.every((p) => NAMED_SUBNETS.has(p) || IPV4.test(p) || IPV6.test(p)) ? parts : undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function present(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '';
}

/** Reads and validates the settings; throws ConfigError listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  // Empty strings mean "unset", so that `FOO=` in a .env file does not override a default with nothing.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`));
  }
  const e = parsed.data;
  const disabled: Config['disabled'] = [];

  const messengerNeeds = { MESSENGER_APP_SECRET: e.MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN: e.MESSENGER_VERIFY_TOKEN, MESSENGER_PAGE_ACCESS_TOKEN: e.MESSENGER_PAGE_ACCESS_TOKEN };
  const messengerMissing = Object.entries(messengerNeeds).filter(([, v]) => !present(v)).map(([k]) => k);
  let messenger: MessengerConfig | null = null;
  if (messengerMissing.length === 0) {
    messenger = {
      appSecret: e.MESSENGER_APP_SECRET!,
      verifyToken: e.MESSENGER_VERIFY_TOKEN!,
      pageAccessToken: e.MESSENGER_PAGE_ACCESS_TOKEN!,
      apiBase: e.MESSENGER_API_BASE,
    };
  } else disabled.push({ channel: 'messenger', missing: messengerMissing });

  const zaloNeeds = { ZALO_APP_ID: e.ZALO_APP_ID, ZALO_APP_SECRET: e.ZALO_APP_SECRET, ZALO_OA_SECRET_KEY: e.ZALO_OA_SECRET_KEY };
  const zaloMissing = Object.entries(zaloNeeds).filter(([, v]) => !present(v)).map(([k]) => k);
  let zalo: ZaloConfig | null = null;
  if (zaloMissing.length === 0) {
    zalo = {
      appId: e.ZALO_APP_ID!,
      appSecret: e.ZALO_APP_SECRET!,
      oaSecretKey: e.ZALO_OA_SECRET_KEY!,
      accessToken: e.ZALO_ACCESS_TOKEN,
      refreshToken: e.ZALO_REFRESH_TOKEN,
      apiBase: e.ZALO_API_BASE,
      oauthBase: e.ZALO_OAUTH_BASE,
      znsApiBase: e.ZALO_ZNS_API_BASE,
    };
  } else disabled.push({ channel: 'zalo', missing: zaloMissing });

  // A template for a channel that is off cannot be sent: it is dropped, and start-up says so.
  const ignored: Config['ignored'] = [];
  const keep = <T>(setting: string, channel: 'messenger' | 'zalo', value: T | undefined): T | undefined => {
    if (value === undefined) return undefined;
    if ((channel === 'messenger' ? messenger : zalo) !== null) return value;
    ignored.push({ setting, channel });
    return undefined;
  };
  const billed = e.ZALO_BILLED_WINDOW === 'true' || e.ZALO_BILLED_WINDOW === '1';
  const notices: NoticeTemplateConfig = {
    zaloBilledWindow: keep('ZALO_BILLED_WINDOW', 'zalo', billed || undefined) ?? false,
  };
  const messengerCaseTemplate = keep('MESSENGER_UTILITY_TEMPLATE_CASE', 'messenger', e.MESSENGER_UTILITY_TEMPLATE_CASE);
  const messengerReminderTemplate = keep('MESSENGER_UTILITY_TEMPLATE_REMINDER', 'messenger', e.MESSENGER_UTILITY_TEMPLATE_REMINDER);
  const znsCaseTemplate = keep('ZALO_ZNS_TEMPLATE_CASE', 'zalo', e.ZALO_ZNS_TEMPLATE_CASE);
  const znsReminderTemplate = keep('ZALO_ZNS_TEMPLATE_REMINDER', 'zalo', e.ZALO_ZNS_TEMPLATE_REMINDER);
  if (messengerCaseTemplate) notices.messengerCaseTemplate = messengerCaseTemplate;
  if (messengerReminderTemplate) notices.messengerReminderTemplate = messengerReminderTemplate;
  if (znsCaseTemplate) notices.znsCaseTemplate = znsCaseTemplate;
  if (znsReminderTemplate) notices.znsReminderTemplate = znsReminderTemplate;

  const config: Config = {
    role: e.ROLE,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    redisUrl: e.REDIS_URL,
    mongodbUri: present(e.MONGODB_URI) ? e.MONGODB_URI : undefined,
    storeStartWaitMs: e.MONGODB_START_WAIT_SECONDS * 1000,
    launchedByNpm: present(e.npm_lifecycle_event),
    adminToken: present(e.ADMIN_TOKEN) ? e.ADMIN_TOKEN : undefined,
    metricsToken: present(e.METRICS_TOKEN) ? e.METRICS_TOKEN : undefined,
    trustProxy: parseTrustProxy(e.TRUST_PROXY) ?? false,
    flowsDir: e.FLOWS_DIR,
    production: e.NODE_ENV === 'production',
    queuePrefix: e.QUEUE_PREFIX,
    autoStartRedis: e.REDIS_AUTOSTART === 'true' || e.REDIS_AUTOSTART === '1',
    messenger,
    zalo,
    handoff: {
      quietMinutes: e.HANDOFF_QUIET_MINUTES,
      takeWithinMinutes: e.HANDOFF_TAKE_WITHIN_MINUTES,
      messengerHumanAgent: e.MESSENGER_HUMAN_AGENT === 'true' || e.MESSENGER_HUMAN_AGENT === '1',
      zaloBilledWindow: notices.zaloBilledWindow,
    },
    disabled,
    notices,
    ignored,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
