-- Privacy delivery: a data request's export emailed to the customer (the email carries it as an
-- attachment, read when sent) or marked as delivered another way; who, when and to which address.
-- AlterTable
ALTER TABLE "DataRequest" ADD COLUMN "deliveredAt" DATETIME;
ALTER TABLE "DataRequest" ADD COLUMN "deliveredBy" TEXT;
ALTER TABLE "DataRequest" ADD COLUMN "deliveredTo" TEXT;
ALTER TABLE "DataRequest" ADD COLUMN "deliveredVia" TEXT;
ALTER TABLE "DataRequest" ADD COLUMN "deliveryEmailBy" TEXT;
ALTER TABLE "DataRequest" ADD COLUMN "deliveryEmailId" TEXT;

-- AlterTable
ALTER TABLE "OutboundEmail" ADD COLUMN "dataRequestId" TEXT;

-- CreateIndex
CREATE INDEX "OutboundEmail_shop_dataRequestId_idx" ON "OutboundEmail"("shop", "dataRequestId");

