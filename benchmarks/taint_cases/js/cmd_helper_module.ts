import express from 'express';
import { archive } from './lib/shell';

const app = express();
app.use(express.json());

app.post('/backup', async (req, res) => {
  res.send(await archive(req.body.label));
});
