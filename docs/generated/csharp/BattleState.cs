// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class BattleState : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public BattleState() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string roomStatus = "running";

		[global::Colyseus.Schema.Type(1, "uint32")]
		public uint tick = default(uint);

		[global::Colyseus.Schema.Type(2, "string")]
		public string status = default(string);

		[global::Colyseus.Schema.Type(3, "uint32")]
		public uint startTick = default(uint);

		[global::Colyseus.Schema.Type(4, "uint32")]
		public uint lastTick = default(uint);

		[global::Colyseus.Schema.Type(5, "string")]
		public string winnerSide = default(string);

		[global::Colyseus.Schema.Type(6, "string")]
		public string endReason = default(string);

		[global::Colyseus.Schema.Type(7, "string")]
		public string wagerCurrency = default(string);

		[global::Colyseus.Schema.Type(8, "uint32")]
		public uint wagerAmount = default(uint);

		[global::Colyseus.Schema.Type(9, "map", typeof(global::Colyseus.Schema.MapSchema<BattleOracle>))]
		public global::Colyseus.Schema.MapSchema<BattleOracle> oracles = new global::Colyseus.Schema.MapSchema<BattleOracle>();

		[global::Colyseus.Schema.Type(10, "map", typeof(global::Colyseus.Schema.MapSchema<BattleSeat>))]
		public global::Colyseus.Schema.MapSchema<BattleSeat> seats = new global::Colyseus.Schema.MapSchema<BattleSeat>();
	}
}
