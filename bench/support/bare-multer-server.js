// The upload baseline: the least an Express server can do with a multipart upload (multer's own
// disk storage, no checks, no storage driver, no queue). Prints its port on stdout.
const express = require('express');
const multer = require('multer');

const dir = process.argv[2];
const upload = multer({ storage: multer.diskStorage({ destination: dir }) }).single('audio');
const app = express();
app.post('/api/submissions', upload, (req, res) =>
  res.status(201).json({ id: req.file?.filename, status: 'received' }),
);
const server = app.listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ port: server.address().port })),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
