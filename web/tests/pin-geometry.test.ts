import { describe, expect, it } from 'vitest';
import { aspectDistance, clientToPicture, distanceToEdge, insidePolygon, onPicture, pictureToClient, roundedPath } from '../src/pin/geometry';
import { SITES_G7_ADULT } from './pin-fixtures';

const close = (p: { x: number; y: number }, x: number, y: number): void => {
  expect(p.x).toBeCloseTo(x, 6);
  expect(p.y).toBeCloseTo(y, 6);
};

describe('pointer position → picture coordinates', () => {
  it('maps an element drawn exactly 1:2 (the viewBox scaled by 0.9)', () => {
    const rect = { left: 100, top: 50, width: 360, height: 720 };
    close(clientToPicture(100, 50, rect), 0, 0);
    close(clientToPicture(460, 770, rect), 1, 1);
    // (0.277, 0.279) on the picture is 0.277 × 360 px across and 0.279 × 720 px down.
    close(clientToPicture(100 + 99.72, 50 + 200.88, rect), 0.277, 0.279);
  });

  it('accounts for the empty bands when the element is wider than 1:2 (xMidYMid meet)', () => {
    // 500 × 800 box: the picture is 400 × 800 (scale 1), centred with 50 px on each side.
    const rect = { left: 0, top: 0, width: 500, height: 800 };
    close(clientToPicture(50, 0, rect), 0, 0);
    close(clientToPicture(250, 400, rect), 0.5, 0.5);
    expect(onPicture(clientToPicture(20, 400, rect))).toBe(false);
  });

  it('accounts for the bands when the element is taller than 1:2', () => {
    // 300 × 700 box: scale 0.75 → 300 × 600, centred with 50 px above and below.
    const rect = { left: 10, top: 20, width: 300, height: 700 };
    close(clientToPicture(10, 70, rect), 0, 0);
    close(clientToPicture(310, 670, rect), 1, 1);
    close(clientToPicture(10 + 0.42 * 300, 70 + 0.4 * 600, rect), 0.42, 0.4);
    expect(onPicture(clientToPicture(100, 30, rect))).toBe(false);
  });

  it('honours a viewBox that does not start at 0', () => {
    const rect = { left: 0, top: 0, width: 200, height: 400 };
    close(clientToPicture(0, 0, rect, { x: 40, y: 80, width: 200, height: 400 }), 0.1, 0.1);
  });

  it('is undone by pictureToClient', () => {
    const rect = { left: 33, top: 12, width: 313, height: 700 };
    const at = pictureToClient({ x: 0.277, y: 0.279 }, rect);
    close(clientToPicture(at.x, at.y, rect), 0.277, 0.279);
  });

  it('gives NaN for an element with no size (not laid out)', () => {
    expect(onPicture(clientToPicture(1, 1, { left: 0, top: 0, width: 0, height: 0 }))).toBe(false);
  });
});

describe('polygons', () => {
  const arm = SITES_G7_ADULT.zones.find((z) => z.id === 'upper_arm_back_left')?.polygon ?? [];

  it('tells inside from outside', () => {
    expect(insidePolygon(arm, { x: 0.277, y: 0.279 })).toBe(true);
    expect(insidePolygon(arm, { x: 0.42, y: 0.4 })).toBe(false);
    // The body outline contains both test points.
    expect(SITES_G7_ADULT.body.some((part) => insidePolygon(part, { x: 0.277, y: 0.279 }))).toBe(true);
    expect(SITES_G7_ADULT.body.some((part) => insidePolygon(part, { x: 0.05, y: 0.05 }))).toBe(false);
  });

  it('measures with y scaled by the aspect (2), as the server does', () => {
    expect(aspectDistance({ x: 0, y: 0 }, { x: 0.03, y: 0.02 })).toBeCloseTo(0.05, 9);
    const square = [[0, 0], [0.1, 0], [0.1, 0.1], [0, 0.1]] as const;
    expect(distanceToEdge(square, { x: 0.05, y: 0.02 })).toBeCloseTo(0.04, 9); // 0.02 down is 0.04 across
    expect(distanceToEdge(square, { x: 0.2, y: 0.05 })).toBeCloseTo(0.1, 9);
  });

  it('draws rounded outlines in SVG units', () => {
    const d = roundedPath([[0, 0], [0.5, 0], [0.5, 0.5]], 10);
    expect(d.startsWith('M')).toBe(true);
    expect(d.endsWith('Z')).toBe(true);
    expect(d).toContain('Q200 0'); // the corner at (0.5, 0) is (200, 0) in units
    expect(d.match(/Q/g)).toHaveLength(3);
  });
});
