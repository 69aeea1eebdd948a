import express from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const app = express();

app.get('/users', async (req, res) => {
  const email = String(req.query.email);
  res.json(await prisma.$queryRaw`SELECT id FROM "User" WHERE email = ${email}`);
});
