import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class UsersService {
  constructor(private readonly dataSource: DataSource) {}

  findByEmail(email: string) {
    return this.dataSource.query(`SELECT id, email FROM users WHERE email = '${email}'`);
  }

  findByAge(age: number) {
    return this.dataSource.query(`SELECT id FROM users WHERE age = ${age}`);
  }
}
