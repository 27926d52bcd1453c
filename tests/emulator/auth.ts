/**
 * What Shopify's identity side does for an embedded app: session tokens (App Bridge's
 * id_token, a JWT signed with the app's client secret), token exchange at
 * POST /admin/oauth/access_token, and the access tokens the Admin API accepts.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

export interface StaffMember {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  locale: string;
  /** The store's owner (the online token's `account_owner`); default: only the emulator's default staff member is. */
  accountOwner?: boolean;
}

/** Who is logged in to the emulated admin unless an admin page asks for someone else (`?staff=<id>`). */
export const DEFAULT_STAFF: StaffMember = {
  id: 70001,
  firstName: "Alex",
  lastName: "Moreau",
  email: "alex.moreau@support-desk-demo.example",
  locale: "en",
  accountOwner: true,
};

/** A second agent of the store's team, to be two people on one ticket. */
export const SECOND_STAFF: StaffMember = {
  id: 70002,
  firstName: "Priya",
  lastName: "Raman",
  email: "priya.raman@support-desk-demo.example",
  locale: "en",
  accountOwner: false,
};

/** A third, with a name beyond ASCII. */
export const THIRD_STAFF: StaffMember = {
  id: 70003,
  firstName: "Kärt",
  lastName: "Tamm",
  email: "kart.tamm@support-desk-demo.example",
  locale: "en",
  accountOwner: false,
};

/** The staff members the emulator knows by default: any of them can open an admin page. */
export const STAFF_MEMBERS: readonly StaffMember[] = [DEFAULT_STAFF, SECOND_STAFF, THIRD_STAFF];

export const staffName = (member: StaffMember) => `${member.firstName} ${member.lastName}`;

/** The default staff member first, then the others, one per id (the default wins a clash). */
export function knownStaff(defaultStaff: StaffMember, others: readonly StaffMember[] = STAFF_MEMBERS): StaffMember[] {
  const members = [defaultStaff];
  for (const member of others) if (!members.some((m) => m.id === member.id)) members.push(member);
  return members;
}

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

/** Shopify's libraries accept session tokens up to 10 s outside exp/nbf. */
const CLOCK_TOLERANCE_SECONDS = 10;
const SESSION_TOKEN_LIFETIME_SECONDS = 60;
/** Online tokens live for the staff member's admin session: about a day. */
const ONLINE_TOKEN_LIFETIME_SECONDS = 86_399;
/** Expiring offline tokens (the library's `expiringOfflineAccessTokens` flag): 1 h, refresh 90 days. */
const EXPIRING_OFFLINE_LIFETIME_SECONDS = 3_600;
const REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3_600;

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  [claim: string]: unknown;
}

// ---------------------------------------------------------------- JWT (HS256)

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(payload));
  const signature = createHmac("sha256", secret).update(`${header}.${body}`).digest("base64url");
  return `${header}.${body}.${signature}`;
}

export class InvalidJwtError extends Error {}

/** Verifies signature, algorithm and exp/nbf; returns the claims. */
export function verifyJwt(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): SessionTokenClaims {
  const parts = token.split(".");
  if (parts.length !== 3) throw new InvalidJwtError("not a JWT");
  const [header, body, signature] = parts;
  let alg: unknown;
  let claims: SessionTokenClaims;
  try {
    alg = JSON.parse(Buffer.from(header, "base64url").toString("utf8")).alg;
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw new InvalidJwtError("malformed JWT");
  }
  if (alg !== "HS256") throw new InvalidJwtError(`unsupported algorithm ${String(alg)}`);
  const expected = createHmac("sha256", secret).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidJwtError("signature verification failed");
  }
  if (typeof claims.exp !== "number" || claims.exp + CLOCK_TOLERANCE_SECONDS < nowSeconds) {
    throw new InvalidJwtError("token expired");
  }
  if (typeof claims.nbf === "number" && claims.nbf - CLOCK_TOLERANCE_SECONDS > nowSeconds) {
    throw new InvalidJwtError("token not yet valid");
  }
  return claims;
}

// ------------------------------------------------------------------ the auth side

export interface AuthOptions {
  apiKey: string;
  apiSecret: string;
  /** The scopes granted on install: the toml's. */
  scopes: string;
  /** Who session tokens name when no user is asked for. */
  staff: StaffMember;
  /** Everyone the online token exchange knows by name (the default staff member among them). */
  staffMembers?: readonly StaffMember[];
  hasShop(shop: string): boolean;
}

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface SessionTokenOptions {
  expiresInSeconds?: number;
  userId?: number;
}

interface OnlineGrant {
  shop: string;
  expiresAt: number;
}

export type Auth = ReturnType<typeof createAuth>;

export function createAuth(options: AuthOptions) {
  const { apiKey, apiSecret, scopes, staff } = options;
  const members = knownStaff(staff, options.staffMembers ?? [staff]);
  const onlineTokens = new Map<string, OnlineGrant>();

  function derived(purpose: string, length = 32): string {
    return createHmac("sha256", apiSecret).update(purpose).digest("hex").slice(0, length);
  }

  /** Stable per shop so a restarted emulator still accepts the token the app stored. */
  function accessTokenFor(shop: string): string {
    return `shpat_${derived(`offline:${shop}`)}`;
  }

  function refreshTokenFor(shop: string): string {
    return `shprt_${derived(`refresh:${shop}`)}`;
  }

  function sessionToken(shop: string, opts: SessionTokenOptions = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const userId = opts.userId ?? staff.id;
    const claims: SessionTokenClaims = {
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      sub: String(userId),
      exp: now + (opts.expiresInSeconds ?? SESSION_TOKEN_LIFETIME_SECONDS),
      nbf: now,
      iat: now,
      jti: randomUUID(),
      // The admin session the staff member is in; stable for one shop and user.
      sid: derived(`sid:${shop}:${userId}`),
    };
    return signJwt(claims, apiSecret);
  }

  function isValidAccessToken(shop: string, token: string | undefined): boolean {
    if (!token) return false;
    if (safeEqual(token, accessTokenFor(shop))) return true;
    const grant = onlineTokens.get(token);
    return Boolean(grant && grant.shop === shop && grant.expiresAt > Date.now());
  }

  /** POST /admin/oauth/access_token for the shop the request addressed. */
  function handleAccessTokenRequest(shop: string, body: Record<string, unknown>): TokenResponse {
    if (!options.hasShop(shop)) return { status: 404, body: { errors: "Not Found" } };
    if (body.client_id !== apiKey || body.client_secret !== apiSecret) {
      return oauthError(
        401,
        "invalid_client",
        "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
      );
    }
    if (body.grant_type === "refresh_token") return refresh(shop, body);
    if (body.grant_type !== TOKEN_EXCHANGE_GRANT) {
      return oauthError(400, "unsupported_grant_type", `The grant type ${JSON.stringify(body.grant_type ?? null)} is not supported by this emulator.`);
    }
    if (body.subject_token_type !== ID_TOKEN_TYPE || typeof body.subject_token !== "string") {
      return oauthError(400, "invalid_request", "The request is missing subject_token or has an unsupported subject_token_type.");
    }
    const requested = body.requested_token_type ?? OFFLINE_TOKEN_TYPE;
    if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
      return oauthError(400, "invalid_request", `Unsupported requested_token_type ${JSON.stringify(requested)}.`);
    }

    let claims: SessionTokenClaims;
    try {
      claims = verifyJwt(body.subject_token, apiSecret);
      if (claims.aud !== apiKey) throw new InvalidJwtError("audience is not this app");
      if (claims.dest !== `https://${shop}`) throw new InvalidJwtError("destination is another shop");
    } catch (error) {
      if (!(error instanceof InvalidJwtError)) throw error;
      return oauthError(400, "invalid_subject_token", "Token exchange cannot be performed due to an invalid subject token.");
    }

    if (requested === OFFLINE_TOKEN_TYPE) {
      const expiring = body.expiring === "1" || body.expiring === 1 || body.expiring === true;
      return { status: 200, body: { access_token: accessTokenFor(shop), scope: scopes, ...(expiring ? expiringFields(shop) : {}) } };
    }
    return { status: 200, body: onlineGrant(shop, Number(claims.sub)) };
  }

  function refresh(shop: string, body: Record<string, unknown>): TokenResponse {
    if (body.refresh_token !== refreshTokenFor(shop)) {
      return oauthError(400, "invalid_grant", "The refresh token is invalid, expired or was issued to another shop.");
    }
    return { status: 200, body: { access_token: accessTokenFor(shop), scope: scopes, ...expiringFields(shop) } };
  }

  function expiringFields(shop: string) {
    return {
      expires_in: EXPIRING_OFFLINE_LIFETIME_SECONDS,
      refresh_token: refreshTokenFor(shop),
      refresh_token_expires_in: REFRESH_TOKEN_LIFETIME_SECONDS,
    };
  }

  function onlineGrant(shop: string, userId: number): Record<string, unknown> {
    const token = `shpua_${randomBytes(16).toString("hex")}`;
    onlineTokens.set(token, { shop, expiresAt: Date.now() + ONLINE_TOKEN_LIFETIME_SECONDS * 1000 });
    // The session token's `sub` names the user; someone the emulator does not know gets a stand-in name.
    const member = members.find((m) => m.id === userId);
    return {
      access_token: token,
      scope: scopes,
      expires_in: ONLINE_TOKEN_LIFETIME_SECONDS,
      associated_user_scope: scopes,
      associated_user: {
        id: userId,
        first_name: member ? member.firstName : "Staff",
        last_name: member ? member.lastName : String(userId),
        email: member ? member.email : `staff-${userId}@${shop}`,
        email_verified: true,
        account_owner: member ? (member.accountOwner ?? member.id === staff.id) : false,
        locale: member ? member.locale : "en",
        collaborator: false,
      },
    };
  }

  return { sessionToken, accessTokenFor, isValidAccessToken, handleAccessTokenRequest };
}

function oauthError(status: number, error: string, description: string): TokenResponse {
  return { status, body: { error, error_description: description } };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
