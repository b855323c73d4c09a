/** A real IAB TCF CMP (`@iabtechlabtcf/cmpapi`) the test plays: `cmpChoice(tc)` = UI shown, then the user's choice. */
import { CmpApi } from '@iabtechlabtcf/cmpapi';

let cmp: CmpApi | undefined;
(window as unknown as { cmpChoice: (tc: string) => void }).cmpChoice = (tcString) => {
  cmp ??= new CmpApi(10, 2, true);
  cmp.update(tcString, true);
  cmp.update(tcString, false);
};
