/**
 * A real IAB GPP CMP (`@iabgpp/cmpapi`) for a page where no GPP section applies: it takes over the
 * page's inline `__gpp` stub and reports `applicableSections: [-1]` with `signalStatus: ready`,
 * as GPP CMPs do outside the US (GPP CMP API v1.1).
 */
import { CmpApi, CmpStatus, SignalStatus } from '@iabgpp/cmpapi';

const cmp = new CmpApi(31, 1);
cmp.setApplicableSections([-1]);
cmp.setCmpStatus(CmpStatus.LOADED);
cmp.setSignalStatus(SignalStatus.READY);
