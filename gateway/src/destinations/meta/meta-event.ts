/** One server event as Meta's Conversions API documents it (server-event parameters). */
export interface MetaServerEvent {
  event_name: string;
  /** Unix seconds. */
  event_time: number;
  /** Equal to the browser pixel's `eventID`, so Meta deduplicates the pair. */
  event_id: string;
  action_source: 'website' | 'other';
  event_source_url?: string;
  user_data: MetaUserData;
  custom_data?: Record<string, unknown>;
  /** `['LDU']` for limited data use, `[]` otherwise (Data Processing Options). */
  data_processing_options: string[];
  /** 0 = let Meta geolocate (with LDU). */
  data_processing_options_country?: number;
  data_processing_options_state?: number;
}

/** Contact fields are SHA-256 hex; ip, user agent, fbc and fbp are sent in clear as Meta requires. */
export interface MetaUserData {
  em?: string[];
  ph?: string[];
  fn?: string[];
  ln?: string[];
  ct?: string[];
  st?: string[];
  zp?: string[];
  country?: string[];
  db?: string[];
  ge?: string[];
  external_id?: string[];
  client_ip_address?: string;
  client_user_agent?: string;
  fbc?: string;
  fbp?: string;
}
