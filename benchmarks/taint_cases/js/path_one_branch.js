const express = require('express');

const app = express();
app.use(express.json());

const fs = require('fs');
const path = require('path');

app.get('/doc', (req, res) => {
  let name = req.query.name;
  if (req.query.strict === '1') {
    name = path.basename(name);
  }
  res.send(fs.readFileSync('/srv/docs/' + name, 'utf8'));
});
