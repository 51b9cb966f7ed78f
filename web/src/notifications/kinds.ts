/** What each notification kind is called and means, in plain language, and what its link leads to. */
import type { NotificationKind } from '../api/notifications';

export interface KindInfo {
  /** A short name: the profile's switch label, and the tag on each notification. */
  readonly label: string;
  /** When GlucoPlay sends it, for the profile's switch. */
  readonly description: string;
}

export const KIND_INFO: Readonly<Record<NotificationKind, KindInfo>> = {
  personal_best: {
    label: 'New personal best',
    description: 'When you beat your own best score in Glucose Grand Prix or Perfect Plate.',
  },
  top10_entered: {
    label: 'You made the top 10',
    description: 'When one of your scores puts you on a game’s all-time top 10.',
  },
  top10_lost: {
    label: 'Pushed out of the top 10',
    description: 'When another player’s score moves you off a game’s all-time top 10.',
  },
  sensor_change_due: {
    label: 'Sensor change due',
    description: 'About a day before your CGM sensor needs changing, counted from the sensor insertion you logged and your CGM model.',
  },
  high_daily_gl: {
    label: 'High glycemic load day',
    description: 'When the food you logged for a day adds up to a glycemic load above 120, the usual “high” level for a day.',
  },
  low_glucose: {
    label: 'Very low glucose',
    description: 'When readings you import or add go below 54 mg/dL (3.0 mmol/L). One notice for each low spell, not for every reading.',
  },
};

/** The tag shown on a notification ("Leaderboard"…); unknown kinds get a neutral one. */
export function kindLabel(kind: string): string {
  return (KIND_INFO as Record<string, KindInfo | undefined>)[kind]?.label ?? 'Notification';
}

/** Link text naming the destination, so that a list of links is not a list of "Open". */
export function linkLabel(path: string): string {
  const page = path.split(/[?#]/)[0];
  switch (page) {
    case '/leaderboards.html':
      return 'See the leaderboard';
    case '/racing.html':
      return 'Play Glucose Grand Prix';
    case '/plate.html':
      return 'Play Perfect Plate';
    case '/food-log.html':
      return 'Open the food log';
    case '/pin-dexcom.html':
      return 'Open Pin the Dexcom';
    case '/trends.html':
      return 'See your trends';
    case '/profile.html':
      return 'Open your profile';
    default:
      return 'Open';
  }
}
