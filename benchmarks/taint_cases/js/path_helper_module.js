import express from 'express';
import { readUpload } from './lib/files.js';

const app = express();

app.get('/uploads/:name', (req, res) => {
  res.send(readUpload(req.params.name));
});
