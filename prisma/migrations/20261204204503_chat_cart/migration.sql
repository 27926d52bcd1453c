-- AlterTable
ALTER TABLE "ChatConversation" ADD COLUMN "cart" TEXT;
ALTER TABLE "ChatConversation" ADD COLUMN "cartAt" DATETIME;
