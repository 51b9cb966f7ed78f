/**
 * Pin the Dexcom (docs/openapi.yaml `/api/pin_dexcom/sites` and `/api/pin_dexcom/attempts`). Every call goes
 * through {@link apiRequest}. The server judges every placement (correct, reason, score, distance); the UI only
 * draws the sites it is given and shows the verdict.
 *
 * Coordinates are normalised to the body picture: 0..1 across and down, origin top left, over a picture that is
 * 400 wide and 800 tall (so 0.01 across is as long as 0.02 down). Radii and distances are in picture widths.
 */
import type { AgeGroup, CgmModel } from './accounts';
import { apiRequest } from './client';

export type PinView = 'front' | 'back';
export type ObstacleKind = 'pump_site' | 'injection_site' | 'tattoo' | 'scar';

/** `[x, y]`, normalised. */
export type PinPoint = readonly [number, number];
export type PinPolygon = readonly PinPoint[];

/** The picture the coordinates are normalised over (also the SVG viewBox). */
export const PICTURE = { width: 400, height: 800 } as const;

/**
 * One inch, in picture widths, on the adult figure (`inch` in server/data/pin_dexcom_sites.json). The sites answer
 * does not carry it, so it is repeated here for the distance hint.
 */
export const INCH = 0.03;

export interface PinZone {
  id: string;
  name: string;
  view: PinView;
  /** Approved for the model and age group that were asked for. */
  approved: boolean;
  polygon: PinPolygon;
  note: string;
  source: string;
}

export interface PinAvoidArea {
  id: string;
  name: string;
  /** `both`: drawn and judged on the front and the back. */
  view: PinView | 'both';
  polygon: PinPolygon;
  reason: string;
  source: string;
}

export interface PinObstacleRule {
  kind: ObstacleKind;
  name: string;
  /** Keep-out radius around the obstacle, in picture widths. */
  radius: number;
  reason: string;
  source: string;
}

export interface PinModelInfo {
  name: string;
  warm_up_minutes: number;
  adults_only?: boolean;
}

/** `GET /api/pin_dexcom/sites?model=&age_group=`. */
export interface PinSites {
  model: CgmModel;
  age_group: AgeGroup;
  zones: PinZone[];
  avoid: PinAvoidArea[];
  /** The figure's parts (head, neck, torso, arms, legs), the same outline front and back. */
  body: PinPolygon[];
  obstacles: PinObstacleRule[];
  models: Partial<Record<CgmModel, PinModelInfo>>;
  picture: { width: number; height: number };
  uncertainty: string;
}

/** Something the round put on the body that the sensor must keep away from. */
export interface PinObstacle {
  kind: ObstacleKind;
  view: PinView;
  x: number;
  y: number;
}

export interface AttemptInput {
  model: CgmModel;
  age_group: AgeGroup;
  view: PinView;
  x: number;
  y: number;
  /** At most 4. */
  obstacles?: PinObstacle[];
}

/** `POST /api/pin_dexcom/attempts` → 201. */
export interface PinVerdict {
  id: number;
  correct: boolean;
  /** The zone, area to avoid or obstacle kind the point fell in; null off the body or on no named area. */
  zone: string | null;
  /** Plain language, from the server. */
  reason: string;
  /** 0..100. */
  score: number;
  /** Picture widths to the nearest approved zone on the same view (0 inside one); null when that view has none. */
  distance: number | null;
}

export interface PinAttempt {
  id: number;
  model: CgmModel;
  age_group: AgeGroup;
  view: PinView;
  x: number;
  y: number;
  correct: boolean;
  zone: string | null;
  score: number;
  /** RFC 3339, UTC. */
  created_at: string;
}

/** `GET /api/pin_dexcom/attempts` → newest first, with all-time totals. */
export interface PinAttempts {
  items: PinAttempt[];
  next_cursor: string | null;
  attempts: number;
  correct: number;
  /** Over all the user's attempts, one decimal. */
  accuracy_pct: number;
  /** Correct attempts in a row, counting back from the latest. */
  streak: number;
}

/** The sites for a model and age group (public: no sign-in needed). */
export function getSites(model: CgmModel, ageGroup: AgeGroup, signal?: AbortSignal): Promise<PinSites> {
  return apiRequest<PinSites>('GET', '/api/pin_dexcom/sites', {
    query: { model, age_group: ageGroup },
    ...(signal ? { signal } : {}),
  });
}

/** Places a sensor and returns the server's verdict. 401 when signed out. */
export function postAttempt(input: AttemptInput): Promise<PinVerdict> {
  const body: AttemptInput = { ...input };
  if (!body.obstacles || body.obstacles.length === 0) delete body.obstacles;
  return apiRequest<PinVerdict>('POST', '/api/pin_dexcom/attempts', { body });
}

/** The signed-in user's latest attempts (`limit` 1..500, default 50 on the server) and totals. 401 when signed out. */
export function listAttempts(limit?: number, signal?: AbortSignal): Promise<PinAttempts> {
  return apiRequest<PinAttempts>('GET', '/api/pin_dexcom/attempts', {
    query: { limit },
    ...(signal ? { signal } : {}),
  });
}
