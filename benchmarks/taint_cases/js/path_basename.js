const express = require('express');

const app = express();
app.use(express.json());

const fs = require('fs');
const path = require('path');

app.get('/avatar', (req, res) => {
  const file = path.basename(req.query.file);
  res.send(fs.readFileSync(path.join('/srv/avatars', file)));
});
