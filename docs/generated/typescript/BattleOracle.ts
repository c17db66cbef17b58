// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
import { BattleStatus } from './BattleStatus'
import { BattleCooldown } from './BattleCooldown'

export class BattleOracle extends Schema {
    @type("string") public oracleId!: string;
    @type("string") public playerId!: string;
    @type("string") public side!: string;
    @type("string") public name!: string;
    @type("string") public element!: string;
    @type("uint32") public hp!: number;
    @type("uint32") public maxHp!: number;
    @type("uint32") public shield!: number;
    @type("boolean") public fallen!: boolean;
    @type([ "string" ]) public abilities: ArraySchema<string> = new ArraySchema<string>();
    @type([ BattleStatus ]) public statuses: ArraySchema<BattleStatus> = new ArraySchema<BattleStatus>();
    @type([ BattleCooldown ]) public cooldowns: ArraySchema<BattleCooldown> = new ArraySchema<BattleCooldown>();
}
