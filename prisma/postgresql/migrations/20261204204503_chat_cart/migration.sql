-- AlterTable
ALTER TABLE "ChatConversation" ADD COLUMN     "cart" TEXT,
ADD COLUMN     "cartAt" TIMESTAMP(3);
