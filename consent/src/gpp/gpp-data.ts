/** One decoded GPP section: its id, name, every field the IAB library knows, and the raw encoding. */
export interface GppSection {
  id: number;
  name: string;
  fields: Record<string, unknown>;
  /**
   * For sections that define a GPC sub-section: whether it was present. The IAB library reports
   * `Gpc: false` when the sub-section is absent, which is not the same as "GPC off".
   */
  gpcSubsection: 'present' | 'absent' | 'not-defined';
  /** The section's own encoded string (for tcfeuv2 this is a TC string). */
  encoded: string;
}

/** A decoded GPP string: header section ids and sections in header order. */
export interface GppData {
  sectionIds: number[];
  sections: GppSection[];
}
