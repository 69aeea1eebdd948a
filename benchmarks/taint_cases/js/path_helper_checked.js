import express from 'express';
import { readUploadChecked } from './lib/files.js';

const app = express();

app.get('/uploads/:name', (req, res) => {
  res.send(readUploadChecked(req.params.name));
});
