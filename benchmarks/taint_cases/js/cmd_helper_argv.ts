import express from 'express';
import { archiveArgv } from './lib/shell';

const app = express();
app.use(express.json());

app.post('/backup', async (req, res) => {
  res.send(await archiveArgv(req.body.label));
});
