-- CreateTable
CREATE TABLE "TicketTag" (
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    PRIMARY KEY ("shop", "name")
);

