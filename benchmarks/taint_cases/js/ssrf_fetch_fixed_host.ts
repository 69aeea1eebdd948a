import express from 'express';

const app = express();

app.get('/weather', async (req, res) => {
  const city = encodeURIComponent(String(req.query.city));
  const data = await fetch(`https://api.weather.example.com/v1/current?city=${city}`);
  res.json(await data.json());
});
