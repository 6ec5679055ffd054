import { InitialSchema1732300000000 } from './1732300000000-InitialSchema';
import { SyncMasterPrices1732300005000 } from './1732300005000-SyncMasterPrices';
import { ForeignReturns1732300060001 } from './1732300060001-ForeignReturns';
import { PriceSchedule1732300200001 } from './1732300200001-PriceSchedule';
import { StockDocuments1732300070001 } from './1732300070001-StockDocuments';
import { TicketSubstitution1732300080001 } from './1732300080001-TicketSubstitution';
import { CustomerOnAccountBlock1732300300001 } from './1732300300001-CustomerOnAccountBlock';
import { CustomerCrm1732300400001 } from './1732300400001-CustomerCrm';
import { Promotions1732300500001 } from './1732300500001-Promotions';
import { CustomerSearch1732300510001 } from './1732300510001-CustomerSearch';
import { Loyalty1732300520001 } from './1732300520001-Loyalty';
import { Vouchers1732300530001 } from './1732300530001-Vouchers';
import { ProductBlocks1732300640001 } from './1732300640001-ProductBlocks';
import { OfficeNotices1732300720001 } from './1732300720001-OfficeNotices';
import { ReceiptDesign1732300730001 } from './1732300730001-ReceiptDesign';
import { TimeClock1732300710001 } from './1732300710001-TimeClock';
import { OfficeTasks1732300790001 } from './1732300790001-OfficeTasks';

/** Every terminal migration, oldest first. Append new ones; never edit one that has shipped. */
export const terminalMigrations = [InitialSchema1732300000000, SyncMasterPrices1732300005000, ForeignReturns1732300060001, PriceSchedule1732300200001, StockDocuments1732300070001, TicketSubstitution1732300080001, CustomerOnAccountBlock1732300300001, CustomerCrm1732300400001, Promotions1732300500001, CustomerSearch1732300510001, Loyalty1732300520001, Vouchers1732300530001,
  // Issue 17: product blocks from HQ.
  ProductBlocks1732300640001,
  // Issue 16: office notices (roles, dates, English text) and the reads confirmed here.
  OfficeNotices1732300720001,
  // Issue 19: the receipt design from HQ and the logo each printer holds.
  ReceiptDesign1732300730001,
  // Issue 16: the working-time record's clock events made at the till.
  TimeClock1732300710001,
  // Issue 16: HQ's tasks for this store and the items ticked here.
  OfficeTasks1732300790001];
