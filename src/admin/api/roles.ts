import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../shared/app-error';
import type { UserRole, UserStore } from '../../store/ports/users';
import type { Session, SessionStore } from '../sessions';

/** Who is asking: a console account by its session, or the bearer ADMIN_TOKEN (the admin role). */
export interface Principal {
  /** the username, or 'admin-token' */
  username: string;
  role: UserRole;
  /** for the official role: the roster id */
  officialId?: string;
  via: 'session' | 'token';
}

export interface AdminAuth {
  /**
   * Lets the request through when its principal has one of `roles`: 401 UNAUTHORIZED without a
   * valid session or token, 403 FORBIDDEN for another role, and 403 FORBIDDEN for a session request
   * that changes something (not GET/HEAD/OPTIONS) without the session's X-CSRF-Token header.
   */
  requireRole(...roles: UserRole[]): RequestHandler;
  /**
   * requireRole for pages we do not write (bull-board), which cannot send X-CSRF-Token: a session
   * request that changes something passes when its Origin header names this server instead. The
   * cookie is SameSite=Strict as well, so another site can neither send it nor forge the Origin.
   */
  requireRoleSameOrigin(...roles: UserRole[]): RequestHandler;
  /** the session behind this request's cookie, if any (for login/logout) */
  sessionOf(req: Request): Promise<{ id: string; session: Session } | null>;
}

export interface AdminAuthDeps {
  /** bearer token of the admin role; unset = no bearer access */
  adminToken?: string;
  /** unset = bearer access only (routers built before console accounts existed) */
  users?: UserStore;
  sessions?: SessionStore;
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'commune_admin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The principal that requireRole put on this response. */
export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new Error('principalOf: the route is not behind requireRole');
  return p;
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sameSecret(given: string, expected: Buffer): boolean {
  const g = Buffer.from(given);
  return g.length === expected.length && timingSafeEqual(g, expected);
}

export function createAdminAuth(deps: AdminAuthDeps): AdminAuth {
  const expected = deps.adminToken ? Buffer.from(deps.adminToken) : null;

  async function sessionOf(req: Request) {
    const id = readCookie(req, SESSION_COOKIE);
    if (!id || !deps.sessions || id.length > 200) return null;
    const session = await deps.sessions.get(id);
    return session ? { id, session } : null;
  }

  async function identify(req: Request): Promise<{ principal: Principal; csrf?: string }> {
    const header = req.get('authorization');
    if (header !== undefined) {
      // A header that is there but wrong is refused, even with a good cookie: no guessing which one counted.
      const m = /^Bearer\s+(.+)$/i.exec(header);
      if (!expected || !m || !sameSecret(m[1], expected)) throw new AppError('UNAUTHORIZED');
      return { principal: { username: 'admin-token', role: 'admin', via: 'token' } };
    }
    const found = await sessionOf(req);
    const user = found && deps.users ? await deps.users.get(found.session.username) : null;
    if (!found || !user || !user.active) throw new AppError('UNAUTHORIZED');
    // The role is read from the account on every request: a demotion or deactivation counts at once.
    return { principal: { username: user.username, role: user.role, ...(user.officialId ? { officialId: user.officialId } : {}), via: 'session' }, csrf: found.session.csrf };
  }

  const sameOrigin = (req: Request) => {
    const origin = req.get('origin');
    return origin !== undefined && origin === `${req.protocol}://${req.get('host') ?? ''}`;
  };

  function guard(roles: UserRole[], csrfBy: 'header' | 'origin'): RequestHandler {
    return (req, res, next) => {
      identify(req)
        .then(({ principal, csrf }) => {
          if (csrf !== undefined && !SAFE_METHODS.has(req.method)) {
            const passed = csrfBy === 'header' ? sameSecret(req.get('x-csrf-token') ?? '', Buffer.from(csrf)) : sameOrigin(req);
            if (!passed) throw new AppError('FORBIDDEN', csrfBy === 'header' ? 'missing or wrong X-CSRF-Token' : 'a change must come from this server\'s own page');
          }
          if (!roles.includes(principal.role)) throw new AppError('FORBIDDEN', `needs the role ${roles.join(' or ')}`);
          res.locals.principal = principal;
          next();
        })
        .catch(next);
    };
  }

  return {
    sessionOf,
    requireRole: (...roles) => guard(roles, 'header'),
    requireRoleSameOrigin: (...roles) => guard(roles, 'origin'),
  };
}
