import type { GoogleAdsDestinationConfig } from '../../site-config/site-config.ts';
import type { Destination } from '../destination.ts';
import type { GoogleAdsItem } from './click-conversion.ts';
import { sendToGoogleAds } from './send-to-google-ads.ts';
import { toClickConversion } from './to-click-conversion.ts';

/** Conversions per `uploadClickConversions` request (Google Ads API quotas: 2,000 [unverified]). */
export const GOOGLE_ADS_MAX_BATCH = 2000;

/** Google Ads offline click conversions with enhanced-conversion identifiers. */
export const googleAdsDestination: Destination<GoogleAdsDestinationConfig, GoogleAdsItem> = {
  type: 'google_ads',
  maxBatchSize: GOOGLE_ADS_MAX_BATCH,
  toItem: toClickConversion,
  send: sendToGoogleAds,
};
